package io.customersessions.projector.http;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * An NDJSON body produced as it is read: each element of {@code lines} becomes one line, rendered only when the
 * previous one has been consumed, so at most one line is held at a time.
 */
final class NdjsonStream extends InputStream {

    private final Iterator<String> lines;
    private byte[] line = new byte[0];
    private int position;

    NdjsonStream(Iterator<String> lines) {
        this.lines = lines;
    }

    @Override
    public int read() {
        if (!fill()) {
            return -1;
        }
        return line[position++] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
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
    private boolean fill() {
        while (position == line.length) {
            if (!lines.hasNext()) {
                return false;
            }
            line = (lines.next() + "\n").getBytes(StandardCharsets.UTF_8);
            position = 0;
        }
        return true;
    }
}
