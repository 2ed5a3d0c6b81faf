package dev.jcontainers.oci.registry;

import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.oci.registry.RegistryClient.ProgressCallback;
import dev.jcontainers.oci.store.BlobWriter;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One GET of a blob's remaining bytes, {@code from} the sink's current size. An answer carrying those bytes
 * (a 206 starting at {@code from}, or any other 2xx with the whole blob, after which the sink is reset) is
 * written straight from the HTTP client's receive buffers into the sink: no {@code InputStream} queue, no
 * copy, no hand-off between threads. Every other answer (redirect, auth challenge, error, a 206 for the wrong
 * range) keeps an {@code InputStream} body for the caller's usual handling.
 *
 * <p>The sink is written on the HTTP client's executor threads, one buffer list at a time and asking for the
 * next only after the write (backpressure), while the caller is blocked in {@code HttpClient.send}: so the
 * sink is still used by one thread at a time. A failure of the sink (full disk) or a body larger than
 * declared is remembered here, because the HTTP client wraps whatever a subscriber fails with in a plain
 * {@link IOException}, which would be retried; {@link #failure(IOException)} gives back the original.
 */
final class BlobDownload implements BodyHandler<InputStream> {
    /** Progress is reported about every this many bytes (the receive buffers are 16 KiB by default). */
    private static final long PROGRESS_STEP_BYTES = 256 << 10;
    private static final Pattern CONTENT_RANGE_START = Pattern.compile("bytes\\s+(\\d+)-");

    private final BlobWriter sink;
    private final long from;
    private final long total;
    private final String blobName;
    private final ProgressCallback report;
    private final int attempt;
    private volatile boolean streamed;
    private volatile Exception sinkFailure;

    BlobDownload(BlobWriter sink, long total, String blobName, ProgressCallback report, int attempt) {
        this.sink = sink;
        this.from = sink.written();
        this.total = total;
        this.blobName = blobName;
        this.report = report;
        this.attempt = attempt;
    }

    /** Where this GET starts: the {@code Range} to ask for when positive. */
    long from() {
        return from;
    }

    @Override
    public BodySubscriber<InputStream> apply(ResponseInfo info) {
        int status = info.statusCode();
        boolean wholeBlob = status / 100 == 2 && status != 206;
        boolean rest = status == 206 && contentRangeStart(info).orElse(-1L) == from;
        if (!wholeBlob && !rest) {
            return BodySubscribers.ofInputStream();
        }
        if (wholeBlob && from > 0) {
            try {
                sink.reset(); // Range ignored: the whole blob is coming again
            } catch (IOException | RuntimeException e) {
                sinkFailure = e;
                return BodySubscribers.replacing(InputStream.nullInputStream()); // send() returns, caller throws
            }
        }
        streamed = true;
        return BodySubscribers.mapping(new SinkSubscriber(), done -> InputStream.nullInputStream());
    }

    /** Whether the body went into the sink (then the response's own body is empty). */
    boolean streamed() {
        return streamed;
    }

    /**
     * After a streamed body: an {@link IOException} (worth resuming) when the connection ended cleanly
     * before the declared size.
     */
    void requireComplete() throws IOException {
        if (total >= 0 && sink.written() < total) {
            throw new IOException("connection closed after " + sink.written() + " of " + total + " bytes");
        }
    }

    /** The sink's own failure if that is what ended the exchange, else {@code transport} itself. */
    IOException failure(IOException transport) throws IOException {
        rethrowSinkFailure();
        return transport;
    }

    /** Throws what the sink failed with during this exchange, if it did. */
    void rethrowSinkFailure() throws IOException {
        Exception e = sinkFailure;
        if (e instanceof IOException io) {
            throw io;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
    }

    private static Optional<Long> contentRangeStart(ResponseInfo info) {
        return info.headers().firstValue("Content-Range")
                .map(CONTENT_RANGE_START::matcher)
                .filter(Matcher::lookingAt)
                .map(m -> Long.parseLong(m.group(1)));
    }

    private final class SinkSubscriber implements BodySubscriber<Void> {
        private final CompletableFuture<Void> body = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private long reported = -1;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return; // failed already: buffers the client had in flight when we cancelled
            }
            try {
                for (ByteBuffer buffer : buffers) {
                    if (total >= 0 && sink.written() + buffer.remaining() > total) {
                        throw new MalformedContentException("blob " + blobName + ": the registry sent more than"
                                + " the " + total + " bytes its descriptor declares");
                    }
                    sink.write(buffer);
                }
                if (sink.written() - reported >= PROGRESS_STEP_BYTES) {
                    reportProgress();
                }
            } catch (IOException | RuntimeException e) {
                sinkFailure = e;
                subscription.cancel();
                body.completeExceptionally(e);
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            body.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            try {
                if (sink.written() != reported) {
                    reportProgress();
                }
            } catch (RuntimeException e) {
                sinkFailure = e;
                body.completeExceptionally(e);
                return;
            }
            body.complete(null);
        }

        private void reportProgress() {
            reported = sink.written();
            report.progress(reported, total, attempt, null);
        }

        @Override
        public CompletionStage<Void> getBody() {
            return body;
        }
    }
}
