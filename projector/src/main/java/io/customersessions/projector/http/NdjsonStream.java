package io.customersessions.projector.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * An NDJSON body produced as it is read: each element of {@code lines} becomes one line, rendered only when the
 * previous one has been consumed, so at most one line is held at a time. Closing it closes {@code lines}, and so
 * whatever they are read from. A line that cannot be produced (a store gone, another instance silent) is an
 * {@link IOException}: the server fails the transfer only for those, and would hang on any other exception.
 */
final class NdjsonStream extends InputStream {

    private final Stream<String> source;
    private final Iterator<String> lines;
    private byte[] line = new byte[0];
    private int position;

    NdjsonStream(Stream<String> lines) {
        this.source = lines;
        this.lines = lines.iterator();
    }

    @Override
    public void close() {
        source.close();
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return line[position++] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int count = Math.min(length, line.length - position);
        System.arraycopy(line, position, buffer, offset, count);
        position += count;
        return count;
    }

    /** False at the end of the stream. */
    private boolean fill() throws IOException {
        try {
            while (position == line.length) {
                if (!lines.hasNext()) {
                    return false;
                }
                line = (lines.next() + "\n").getBytes(StandardCharsets.UTF_8);
                position = 0;
            }
            return true;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            throw new IOException("the export stopped: " + e.getMessage(), e);
        }
    }
}
