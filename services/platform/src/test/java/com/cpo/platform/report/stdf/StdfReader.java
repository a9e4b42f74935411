package com.cpo.platform.report.stdf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict STDF V4 reader for tests, written from the specification and sharing no code with
 * {@link StdfWriter}: it is the oracle the writer's output is checked against.
 *
 * <p>Each record's fields are decoded by a table transcribed from the spec's record layouts, in the byte order
 * named by the FAR's CPU_TYPE (1 big-endian, 2 little-endian). Fields past REC_LEN (the spec lets a writer
 * omit trailing fields) are absent from the map. A field cut by REC_LEN, bytes left over after the last field,
 * or a stream that ends inside a record fail with the record's index and the field's name. Record types
 * without a table (PGR, PLR, RDR, SDR, MPR, FTR, GDR, ...) keep their body as {@code RAW}.
 */
public final class StdfReader {

    /** U1, U2, U4, I1, I2, I4 are Long; R4 Float; R8 Double; C1 Character; Cn String; B1 Integer; Bn byte[]. */
    public record StdfRecord(String name, int type, int sub, LinkedHashMap<String, Object> fields) {

        public long number(String field) {
            return (Long) present(field);
        }

        public float real(String field) {
            return (Float) present(field);
        }

        public String text(String field) {
            return (String) present(field);
        }

        public char character(String field) {
            return (Character) present(field);
        }

        public int bits(String field) {
            return (Integer) present(field);
        }

        private Object present(String field) {
            if (!fields.containsKey(field)) {
                throw new IllegalArgumentException(name + " has no field " + field + ": " + fields.keySet());
            }
            return fields.get(field);
        }
    }

    private record Field(String name, String type) {
    }

    private record Layout(String name, int type, int sub, List<Field> fields) {
    }

    private static final Map<Integer, Layout> LAYOUTS = new HashMap<>();

    static {
        layout("FAR", 0, 10, "CPU_TYPE U1", "STDF_VER U1");
        layout("ATR", 0, 20, "MOD_TIM U4", "CMD_LINE Cn");
        layout("MIR", 1, 10, "SETUP_T U4", "START_T U4", "STAT_NUM U1", "MODE_COD C1", "RTST_COD C1", "PROT_COD C1",
                "BURN_TIM U2", "CMOD_COD C1", "LOT_ID Cn", "PART_TYP Cn", "NODE_NAM Cn", "TSTR_TYP Cn", "JOB_NAM Cn",
                "JOB_REV Cn", "SBLOT_ID Cn", "OPER_NAM Cn", "EXEC_TYP Cn", "EXEC_VER Cn", "TEST_COD Cn", "TST_TEMP Cn",
                "USER_TXT Cn", "AUX_FILE Cn", "PKG_TYP Cn", "FAMLY_ID Cn", "DATE_COD Cn", "FACIL_ID Cn", "FLOOR_ID Cn",
                "PROC_ID Cn", "OPER_FRQ Cn", "SPEC_NAM Cn", "SPEC_VER Cn", "FLOW_ID Cn", "SETUP_ID Cn", "DSGN_REV Cn",
                "ENG_ID Cn", "ROM_COD Cn", "SERL_NUM Cn", "SUPR_NAM Cn");
        layout("MRR", 1, 20, "FINISH_T U4", "DISP_COD C1", "USR_DESC Cn", "EXC_DESC Cn");
        layout("PCR", 1, 30, "HEAD_NUM U1", "SITE_NUM U1", "PART_CNT U4", "RTST_CNT U4", "ABRT_CNT U4", "GOOD_CNT U4",
                "FUNC_CNT U4");
        layout("HBR", 1, 40, "HEAD_NUM U1", "SITE_NUM U1", "HBIN_NUM U2", "HBIN_CNT U4", "HBIN_PF C1", "HBIN_NAM Cn");
        layout("SBR", 1, 50, "HEAD_NUM U1", "SITE_NUM U1", "SBIN_NUM U2", "SBIN_CNT U4", "SBIN_PF C1", "SBIN_NAM Cn");
        layout("PMR", 1, 60, "PMR_INDX U2", "CHAN_TYP U2", "CHAN_NAM Cn", "PHY_NAM Cn", "LOG_NAM Cn", "HEAD_NUM U1",
                "SITE_NUM U1");
        layout("WIR", 2, 10, "HEAD_NUM U1", "SITE_GRP U1", "START_T U4", "WAFER_ID Cn");
        layout("WRR", 2, 20, "HEAD_NUM U1", "SITE_GRP U1", "FINISH_T U4", "PART_CNT U4", "RTST_CNT U4", "ABRT_CNT U4",
                "GOOD_CNT U4", "FUNC_CNT U4", "WAFER_ID Cn", "FABWF_ID Cn", "FRAME_ID Cn", "MASK_ID Cn", "USR_DESC Cn",
                "EXC_DESC Cn");
        layout("WCR", 2, 30, "WAFR_SIZ R4", "DIE_HT R4", "DIE_WID R4", "WF_UNITS U1", "WF_FLAT C1", "CENTER_X I2",
                "CENTER_Y I2", "POS_X C1", "POS_Y C1");
        layout("PIR", 5, 10, "HEAD_NUM U1", "SITE_NUM U1");
        layout("PRR", 5, 20, "HEAD_NUM U1", "SITE_NUM U1", "PART_FLG B1", "NUM_TEST U2", "HARD_BIN U2", "SOFT_BIN U2",
                "X_COORD I2", "Y_COORD I2", "TEST_T U4", "PART_ID Cn", "PART_TXT Cn", "PART_FIX Bn");
        layout("TSR", 10, 30, "HEAD_NUM U1", "SITE_NUM U1", "TEST_TYP C1", "TEST_NUM U4", "EXEC_CNT U4", "FAIL_CNT U4",
                "ALRM_CNT U4", "TEST_NAM Cn", "SEQ_NAME Cn", "TEST_LBL Cn", "OPT_FLAG B1", "TEST_TIM R4", "TEST_MIN R4",
                "TEST_MAX R4", "TST_SUMS R4", "TST_SQRS R4");
        layout("PTR", 15, 10, "TEST_NUM U4", "HEAD_NUM U1", "SITE_NUM U1", "TEST_FLG B1", "PARM_FLG B1", "RESULT R4",
                "TEST_TXT Cn", "ALARM_ID Cn", "OPT_FLAG B1", "RES_SCAL I1", "LLM_SCAL I1", "HLM_SCAL I1", "LO_LIMIT R4",
                "HI_LIMIT R4", "UNITS Cn", "C_RESFMT Cn", "C_LLMFMT Cn", "C_HLMFMT Cn", "LO_SPEC R4", "HI_SPEC R4");
        layout("BPS", 20, 10, "SEQ_NAME Cn");
        layout("EPS", 20, 20);
        layout("DTR", 50, 30, "TEXT_DAT Cn");
    }

    private StdfReader() {
    }

    /** Reads every record up to the end of {@code in}; the first must be the FAR. */
    public static List<StdfRecord> read(InputStream in) throws IOException {
        List<StdfRecord> records = new ArrayList<>();
        ByteOrder order = null;
        byte[] header = new byte[4];
        for (int index = 0; ; index++) {
            int headerBytes = in.readNBytes(header, 0, 4);
            if (headerBytes == 0) {
                return records;
            }
            if (headerBytes < 4) {
                throw new IllegalStateException("record " + index + ": the stream ends inside the header, after "
                        + headerBytes + " of 4 bytes");
            }
            int type = header[2] & 0xFF;
            int sub = header[3] & 0xFF;
            byte[] body;
            int length;
            if (order == null) {
                if (type != 0 || sub != 10) {
                    throw new IllegalStateException("record 0 is " + type + "/" + sub + ", not the FAR (0/10)");
                }
                // REC_LEN's byte order is only known from CPU_TYPE, the first byte of the FAR's body
                int cpuType = in.read();
                if (cpuType < 0) {
                    throw new IllegalStateException("record 0 FAR: the stream ends before field CPU_TYPE");
                }
                order = switch (cpuType) {
                    case 1 -> ByteOrder.BIG_ENDIAN;
                    case 2 -> ByteOrder.LITTLE_ENDIAN;
                    default -> throw new IllegalStateException("record 0 FAR: CPU_TYPE " + cpuType
                            + " is neither 1 (big-endian) nor 2 (little-endian)");
                };
                length = ByteBuffer.wrap(header, 0, 2).order(order).getShort() & 0xFFFF;
                if (length < 1) {
                    throw new IllegalStateException("record 0 FAR: REC_LEN 0 leaves no room for field CPU_TYPE");
                }
                byte[] rest = in.readNBytes(length - 1);
                body = new byte[1 + rest.length];
                body[0] = (byte) cpuType;
                System.arraycopy(rest, 0, body, 1, rest.length);
            } else {
                length = ByteBuffer.wrap(header, 0, 2).order(order).getShort() & 0xFFFF;
                body = in.readNBytes(length);
            }
            records.add(decode(index, type, sub, length, body, order));
        }
    }

    /** Decodes one body; {@code body} is shorter than {@code length} when the stream ended inside it. */
    private static StdfRecord decode(int index, int type, int sub, int length, byte[] body, ByteOrder order) {
        Layout layout = LAYOUTS.get(key(type, sub));
        String name = layout == null ? "UNKNOWN" : layout.name();
        boolean truncated = body.length < length;
        String where = "record " + index + " " + name + " (" + type + "/" + sub + ", REC_LEN " + length + ")";
        LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
        if (layout == null) {
            if (truncated) {
                throw new IllegalStateException(where + ": the stream ends after " + body.length + " bytes");
            }
            fields.put("RAW", body);
            return new StdfRecord(name, type, sub, fields);
        }
        ByteBuffer bytes = ByteBuffer.wrap(body).order(order);
        String last = "(none)";
        for (Field field : layout.fields()) {
            if (!bytes.hasRemaining()) {
                break;
            }
            try {
                fields.put(field.name(), value(field.type(), bytes));
            } catch (BufferUnderflowException e) {
                throw new IllegalStateException(where + ": " + (truncated ? "the stream ends inside" : "REC_LEN ends inside")
                        + " field " + field.name() + " (" + field.type() + ")", e);
            }
            last = field.name();
        }
        if (truncated) {
            throw new IllegalStateException(where + ": the stream ends after field " + last + ", " + body.length
                    + " of " + length + " bytes");
        }
        if (bytes.hasRemaining()) {
            throw new IllegalStateException(where + ": the fields took " + bytes.position() + " bytes, the last being "
                    + last + "; " + bytes.remaining() + " bytes are left over");
        }
        return new StdfRecord(name, type, sub, fields);
    }

    private static Object value(String type, ByteBuffer bytes) {
        return switch (type) {
            case "U1" -> (long) (bytes.get() & 0xFF);
            case "U2" -> (long) (bytes.getShort() & 0xFFFF);
            case "U4" -> bytes.getInt() & 0xFFFF_FFFFL;
            case "I1" -> (long) bytes.get();
            case "I2" -> (long) bytes.getShort();
            case "I4" -> (long) bytes.getInt();
            case "R4" -> bytes.getFloat();
            case "R8" -> bytes.getDouble();
            case "C1" -> (char) (bytes.get() & 0xFF);
            case "B1" -> bytes.get() & 0xFF;
            case "Cn" -> new String(counted(bytes), StandardCharsets.ISO_8859_1);
            case "Bn" -> counted(bytes);
            default -> throw new IllegalArgumentException("no decoder for " + type);
        };
    }

    /** A length byte, then that many bytes. */
    private static byte[] counted(ByteBuffer bytes) {
        byte[] value = new byte[bytes.get() & 0xFF];
        bytes.get(value);
        return value;
    }

    private static void layout(String name, int type, int sub, String... fields) {
        List<Field> list = new ArrayList<>();
        for (String field : fields) {
            String[] nameAndType = field.split(" ");
            list.add(new Field(nameAndType[0], nameAndType[1]));
        }
        LAYOUTS.put(key(type, sub), new Layout(name, type, sub, List.copyOf(list)));
    }

    private static int key(int type, int sub) {
        return type << 8 | sub;
    }
}
