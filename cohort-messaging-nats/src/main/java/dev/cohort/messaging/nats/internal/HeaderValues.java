package dev.cohort.messaging.nats.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * NATS header values are printable ASCII, while a message's key, type, saga id or id may be any
 * text: a byte outside that range, and {@code %} itself, travels as {@code %XX} of its UTF-8. An
 * ASCII value without {@code %} goes as it is, so ids from other producers read back unchanged.
 */
public final class HeaderValues {
  private HeaderValues() {}

  public static String encode(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 0x20 && c <= 0x7e && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      }
    }
    return out.toString();
  }

  /** The inverse of {@link #encode}; a {@code %} not followed by two hex digits stays as it is. */
  public static String decode(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
    int i = 0;
    while (i < value.length()) {
      int c = value.codePointAt(i);
      if (c == '%'
          && i + 2 < value.length()
          && HexFormat.isHexDigit(value.charAt(i + 1))
          && HexFormat.isHexDigit(value.charAt(i + 2))) {
        out.write(HexFormat.fromHexDigits(value, i + 1, i + 3));
        i += 3;
      } else {
        byte[] bytes = Character.toString(c).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        i += Character.charCount(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
