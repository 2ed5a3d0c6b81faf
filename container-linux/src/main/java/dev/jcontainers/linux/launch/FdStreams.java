package dev.jcontainers.linux.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import dev.jcontainers.linux.ffm.Errno;
import dev.jcontainers.linux.ffm.Native;
import dev.jcontainers.linux.ffm.Unistd;

/**
 * Blocking streams over raw descriptors (pipe ends the JVM keeps after a launch), which {@code java.io}
 * cannot wrap. Each stream owns its descriptor and closes it once. A read blocks in native code: use a
 * platform thread for long waits.
 */
public final class FdStreams {
    private FdStreams() {
    }

    public static InputStream input(int fd) {
        return new In(fd);
    }

    public static OutputStream output(int fd) {
        return new Out(fd);
    }

    /** The descriptor, -1 once closed. */
    private static final class Owned {
        final AtomicInteger fd;

        Owned(int fd) {
            this.fd = new AtomicInteger(fd);
        }

        int fd() throws IOException {
            int f = fd.get();
            if (f < 0) {
                throw new IOException("stream closed");
            }
            return f;
        }

        void closeFd() {
            int f = fd.getAndSet(-1);
            if (f >= 0) {
                Launcher.closeFd(f);
            }
        }
    }

    private static final class In extends InputStream {
        private final Owned owned;

        In(int fd) {
            owned = new Owned(fd);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(Math.min(len, 65536));
                MemorySegment state = Native.callState(arena);
                while (true) {
                    long n = Unistd.read(state, owned.fd(), buf, buf.byteSize());
                    if (n > 0) {
                        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, b, off, (int) n);
                        return (int) n;
                    }
                    if (n == 0) {
                        return -1;
                    }
                    int errno = Native.errno(state);
                    if (errno == Errno.EIO) { // a terminal whose other side is gone
                        return -1;
                    }
                    if (errno != Errno.EINTR) {
                        throw new IOException("read: " + Native.strerror(errno));
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        @Override
        public void close() {
            owned.closeFd();
        }
    }

    private static final class Out extends OutputStream {
        private final Owned owned;

        Out(int fd) {
            owned = new Owned(fd);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(Math.max(1, len));
                MemorySegment.copy(b, off, buf, ValueLayout.JAVA_BYTE, 0, len);
                MemorySegment state = Native.callState(arena);
                long done = 0;
                while (done < len) {
                    long n = Unistd.write(state, owned.fd(), buf.asSlice(done), len - done);
                    if (n >= 0) {
                        done += n;
                    } else if (Native.errno(state) != Errno.EINTR) {
                        throw new IOException("write: " + Native.strerror(Native.errno(state)));
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        @Override
        public void close() {
            owned.closeFd();
        }
    }
}
