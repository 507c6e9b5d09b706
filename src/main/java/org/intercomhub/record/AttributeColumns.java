package org.intercomhub.record;

import org.intercomhub.warehouse.Identifiers;
import org.intercomhub.warehouse.TableSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which {@code custom_*} column each custom attribute lives in, so that distinct attribute names never share one.
 *
 * <p>Intercom's attribute names are case-sensitive and may use any script. The column of a name is
 * {@code custom_} plus the name transliterated to ASCII (Latin accents dropped, Cyrillic and Greek spelled in Latin)
 * and sanitized ({@code Plan Type} → {@code custom_plan_type}). When nothing readable is left ({@code 名前}) the
 * column is {@code custom_} plus a hash of the name; when the column is already taken by another name of the same
 * table (or is one of the table's own columns) the name gets that column plus {@code _} and a hash of the name
 * ({@code plan} → {@code custom_plan}, then {@code Plan} → {@code custom_plan_ab12cd34}).
 *
 * <p>Which name came first decides who gets the plain column, so the assignment is stored (bookkeeping table
 * {@code attribute_columns}, one row per table and name, unique per table and column) and read back: it stays the same across runs and
 * instances. A name another instance assigned at the same moment is read back from the table.
 */
public final class AttributeColumns {

    public static final String PREFIX = "custom_";
    private static final int HASH_LENGTH = 8;
    private static final Logger log = LoggerFactory.getLogger(AttributeColumns.class);

    /** table → attribute name → column. */
    private final Map<String, Map<String, String>> columns = new ConcurrentHashMap<>();
    private final JdbcTemplate jdbc;
    private final String storeTable;

    private AttributeColumns(JdbcTemplate jdbc, String storeTable) {
        this.jdbc = jdbc;
        this.storeTable = storeTable;
    }

    /** Assignments stored in {@code storeTable} (qualified name) and shared with every instance that uses it. */
    public static AttributeColumns stored(JdbcTemplate jdbc, String storeTable) {
        return new AttributeColumns(jdbc, storeTable);
    }

    /** Assignments kept in this process only: for mapping records where no warehouse is written (tests, tools). */
    public static AttributeColumns inProcess() {
        return new AttributeColumns(null, null);
    }

    /** The column of {@code attribute} in {@code table}, assigning (and storing) one when the name is new. */
    public String columnFor(String table, String attribute) {
        String column = assignments(table).get(attribute);
        return column != null ? column : assign(table, attribute);
    }

    private Map<String, String> assignments(String table) {
        return columns.computeIfAbsent(table, this::load);
    }

    private Map<String, String> load(String table) {
        Map<String, String> loaded = new ConcurrentHashMap<>();
        if (jdbc != null) {
            jdbc.query("SELECT attribute_name, column_name FROM " + storeTable + " WHERE table_name = ?",
                    rs -> {
                        loaded.put(rs.getString(1), rs.getString(2));
                    }, table);
        }
        return loaded;
    }

    private synchronized String assign(String table, String attribute) {
        for (int attempt = 0; ; attempt++) {
            Map<String, String> known = assignments(table);
            String column = known.get(attribute);
            if (column != null) {
                return column;
            }
            column = freeColumn(table, attribute, known);
            if (store(table, attribute, column)) {
                known.put(attribute, column);
                if (!column.equals(plainColumn(attribute))) {
                    log.info("{}: custom attribute '{}' goes to column {} ({} is taken or unreadable)", table,
                            attribute, column, plainColumn(attribute));
                }
                return column;
            }
            if (attempt >= 3) {
                throw new IllegalStateException("Could not assign a column to custom attribute '" + attribute
                        + "' of " + table + ": other instances keep taking the same column");
            }
            columns.remove(table); // another instance assigned it or took the column: read theirs, try again
        }
    }

    private static String freeColumn(String table, String attribute, Map<String, String> known) {
        Set<String> taken = new HashSet<>(known.values());
        TableSpec spec = WarehouseTables.all().get(table);
        if (spec != null) {
            taken.addAll(spec.columns().keySet()); // custom_attributes above all
        }
        String plain = plainColumn(attribute);
        if (!taken.contains(plain)) {
            return plain;
        }
        String hashed = withHash(plain, hash(attribute));
        for (int k = 2; taken.contains(hashed); k++) {
            hashed = withHash(plain, hash(attribute + "#" + k)); // a hash collision between two names: next one
        }
        return hashed;
    }

    /** The column a name gets when nothing else claims it. */
    static String plainColumn(String attribute) {
        String readable = Identifiers.sanitize(transliterate(attribute));
        if (readable.equals("_")) {
            return PREFIX + hash(attribute);
        }
        return Identifiers.sanitize(PREFIX + readable);
    }

    private static String withHash(String column, String hash) {
        int keep = Identifiers.MAX_LENGTH - HASH_LENGTH - 1;
        String prefix = column.length() > keep ? column.substring(0, keep) : column;
        return Identifiers.sanitize(prefix.replaceAll("_+$", "") + "_" + hash);
    }

    private boolean store(String table, String attribute, String column) {
        if (jdbc == null) {
            return true;
        }
        try {
            jdbc.update("INSERT INTO " + storeTable + " (table_name, attribute_key, attribute_name, column_name)"
                    + " VALUES (?, ?, ?, ?)", table, Identifiers.sha256Hex(attribute), attribute, column);
            return true;
        } catch (DataIntegrityViolationException takenMeanwhile) {
            return false;
        }
    }

    /** ASCII spelling of a name: Latin letters without their accents, Cyrillic and Greek letters in Latin. */
    static String transliterate(String name) {
        String decomposed = Normalizer.normalize(name, Normalizer.Form.NFKD);
        StringBuilder ascii = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (Character.getType(c) == Character.NON_SPACING_MARK) {
                continue;
            }
            String spelled = LETTERS.get(Character.toLowerCase(c));
            ascii.append(spelled != null ? spelled : c);
        }
        return ascii.toString();
    }

    private static String hash(String text) {
        return Identifiers.shortHash(text);
    }

    private static final Map<Character, String> LETTERS = letters();

    private static Map<Character, String> letters() {
        Map<Character, String> map = new HashMap<>();
        String[][] pairs = {
                // Latin letters that do not decompose
                {"ß", "ss"}, {"æ", "ae"}, {"ø", "o"}, {"œ", "oe"}, {"ł", "l"}, {"đ", "d"}, {"þ", "th"}, {"ð", "d"},
                {"ı", "i"},
                // Cyrillic (Russian, Ukrainian, Belarusian, Serbian, Bulgarian)
                {"а", "a"}, {"б", "b"}, {"в", "v"}, {"г", "g"}, {"ґ", "g"}, {"д", "d"}, {"е", "e"}, {"є", "ie"},
                {"ж", "zh"}, {"з", "z"}, {"и", "i"}, {"і", "i"}, {"ї", "i"}, {"й", "i"}, {"ј", "j"}, {"к", "k"},
                {"л", "l"}, {"љ", "lj"}, {"м", "m"}, {"н", "n"}, {"њ", "nj"}, {"о", "o"}, {"п", "p"}, {"р", "r"},
                {"с", "s"}, {"т", "t"}, {"ћ", "c"}, {"ђ", "dj"}, {"у", "u"}, {"ў", "u"}, {"ф", "f"}, {"х", "kh"},
                {"ц", "ts"}, {"ч", "ch"}, {"џ", "dz"}, {"ш", "sh"}, {"щ", "shch"}, {"ъ", ""}, {"ы", "y"},
                {"ь", ""}, {"э", "e"}, {"ю", "iu"}, {"я", "ia"}, {"ё", "e"},
                // Greek
                {"α", "a"}, {"β", "v"}, {"γ", "g"}, {"δ", "d"}, {"ε", "e"}, {"ζ", "z"}, {"η", "i"}, {"θ", "th"},
                {"ι", "i"}, {"κ", "k"}, {"λ", "l"}, {"μ", "m"}, {"ν", "n"}, {"ξ", "x"}, {"ο", "o"}, {"π", "p"},
                {"ρ", "r"}, {"σ", "s"}, {"ς", "s"}, {"τ", "t"}, {"υ", "y"}, {"φ", "f"}, {"χ", "ch"}, {"ψ", "ps"},
                {"ω", "o"}};
        for (String[] pair : pairs) {
            map.put(pair[0].charAt(0), pair[1]);
        }
        return Map.copyOf(map);
    }
}
