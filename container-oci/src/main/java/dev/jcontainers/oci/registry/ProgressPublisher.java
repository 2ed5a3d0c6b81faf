package dev.jcontainers.oci.registry;

import dev.jcontainers.api.StorageException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

/**
 * A request body read from a file (whole, or one range for a chunk) that reports how many bytes the HTTP
 * client has taken so far. The whole file goes through {@link BodyPublishers#ofFile}, streamed from disk.
 */
final class ProgressPublisher implements BodyPublisher {
    private final BodyPublisher delegate;
    private final LongConsumer sent;

    private ProgressPublisher(BodyPublisher delegate, LongConsumer sent) {
        this.delegate = delegate;
        this.sent = sent;
    }

    static BodyPublisher of(Path file, long offset, long length, LongConsumer sent) {
        try {
            if (offset == 0 && length == Files.size(file)) {
                return new ProgressPublisher(BodyPublishers.ofFile(file), sent);
            }
            byte[] range = new byte[Math.toIntExact(length)];
            try (InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(offset);
                in.readNBytes(range, 0, range.length);
            }
            return new ProgressPublisher(BodyPublishers.ofByteArray(range), sent);
        } catch (FileNotFoundException e) {
            throw new StorageException("blob file " + file + " is gone: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StorageException("cannot read blob file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long contentLength() {
        return delegate.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        delegate.subscribe(new Flow.Subscriber<ByteBuffer>() {
            private long total;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer item) {
                int n = item.remaining();
                subscriber.onNext(item);
                total += n;
                sent.accept(total);
            }

            @Override
            public void onError(Throwable throwable) {
                subscriber.onError(throwable);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
            }
        });
    }
}
