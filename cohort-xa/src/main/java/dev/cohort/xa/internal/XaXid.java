package dev.cohort.xa.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.transaction.xa.Xid;

/**
 * The Xids this manager writes: format id {@link #FORMAT_ID}, the global transaction id as ASCII
 * ({@code <node>:<32 hex digits>}, which is also the gid in the log), and the branch number as
 * ASCII. Readable in {@code XA RECOVER} and {@code pg_prepared_xacts}, and recognisable as ours by
 * format id and node prefix.
 */
public final class XaXid implements Xid {
  /** "CohX" in ASCII: marks Cohort's Xids among those a database reports. */
  public static final int FORMAT_ID = 0x436F6858;

  /** XA's limit on each of the global and branch parts. */
  public static final int MAX_PART = Xid.MAXGTRIDSIZE;

  private final int formatId;
  private final byte[] gtrid;
  private final byte[] bqual;

  private XaXid(int formatId, byte[] gtrid, byte[] bqual) {
    this.formatId = formatId;
    this.gtrid = gtrid;
    this.bqual = bqual;
  }

  public static XaXid of(String gid, int branch) {
    return new XaXid(
        FORMAT_ID,
        gid.getBytes(StandardCharsets.US_ASCII),
        Integer.toString(branch).getBytes(StandardCharsets.US_ASCII));
  }

  /** The gid of one of our Xids, or null when {@code xid} is not ours or not from {@code node}. */
  public static String gidIfOurs(Xid xid, String node) {
    if (xid.getFormatId() != FORMAT_ID) {
      return null;
    }
    String gtrid = new String(xid.getGlobalTransactionId(), StandardCharsets.US_ASCII);
    return gtrid.startsWith(node + ":") ? gtrid : null;
  }

  /** A readable form of any Xid: ours as {@code gid/branch}, others in hex. */
  public static String describe(Xid xid) {
    if (xid.getFormatId() == FORMAT_ID) {
      return new String(xid.getGlobalTransactionId(), StandardCharsets.US_ASCII)
          + "/"
          + new String(xid.getBranchQualifier(), StandardCharsets.US_ASCII);
    }
    HexFormat hex = HexFormat.of();
    return "format "
        + xid.getFormatId()
        + " gtrid 0x"
        + hex.formatHex(xid.getGlobalTransactionId())
        + " bqual 0x"
        + hex.formatHex(xid.getBranchQualifier());
  }

  @Override
  public int getFormatId() {
    return formatId;
  }

  @Override
  public byte[] getGlobalTransactionId() {
    return gtrid.clone();
  }

  @Override
  public byte[] getBranchQualifier() {
    return bqual.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Xid x
        && x.getFormatId() == formatId
        && Arrays.equals(x.getGlobalTransactionId(), gtrid)
        && Arrays.equals(x.getBranchQualifier(), bqual);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(gtrid) + Arrays.hashCode(bqual);
  }

  @Override
  public String toString() {
    return describe(this);
  }
}
