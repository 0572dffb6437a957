package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the admin API's JSON into the status records of {@code core} with Jackson's streaming
 * parser, following each record's components. Jackson's data binding does the same but costs
 * about a fifth of a second to set up in a fresh JVM, which {@code lcdstatus -q} cannot afford.
 * It reads what the daemon writes with the binding ({@code Json} there): properties named like
 * the components, enums by name, instants as ISO-8601 strings (or epoch seconds); unknown
 * properties are skipped, missing ones are null (0 / false for primitives), like the binding
 * configured in {@link Json}.
 */
final class RecordJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private RecordJson() {
    }

    /** The JSON text as a {@code type}; null for the JSON {@code null}. */
    static <T extends Record> T read(String json, Class<T> type) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() == null) {
                throw new JsonParseException(p, "no content");
            }
            Object value = value(p, type);
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "unexpected content after the value: " + p.currentToken());
            }
            return type.cast(value);
        }
    }

    /**
     * The text of the top-level string property {@code name} of a JSON object, or null when the
     * text is not such an object.
     */
    static String stringProperty(String json, String name) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals(name) && v.isScalarValue() && v != JsonToken.VALUE_NULL) {
                    return p.getText();
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The value at the parser's current token, as {@code type}. */
    private static Object value(JsonParser p, Type type) throws IOException {
        JsonToken t = p.currentToken();
        Class<?> raw = raw(type);
        if (t == JsonToken.VALUE_NULL) {
            return raw.isPrimitive() ? primitiveDefault(raw) : null;
        }
        if (raw == String.class) {
            if (!t.isScalarValue()) {
                throw mismatch(p, "a string");
            }
            return p.getText();
        }
        if (raw == int.class || raw == Integer.class) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw mismatch(p, "an integer");
            }
            return p.getIntValue();
        }
        if (raw == long.class || raw == Long.class) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw mismatch(p, "an integer");
            }
            return p.getLongValue();
        }
        if (raw == double.class || raw == Double.class) {
            if (!t.isNumeric()) {
                throw mismatch(p, "a number");
            }
            return p.getDoubleValue();
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (!t.isBoolean()) {
                throw mismatch(p, "true or false");
            }
            return t == JsonToken.VALUE_TRUE;
        }
        if (raw == Instant.class) {
            return instant(p);
        }
        if (raw.isEnum()) {
            return enumValue(p, raw);
        }
        if (raw == List.class) {
            return list(p, argument(type, 0));
        }
        if (raw == Map.class) {
            return map(p, argument(type, 1));
        }
        if (raw.isRecord()) {
            return record(p, raw);
        }
        throw new IllegalArgumentException("RecordJson cannot read " + type);
    }

    private static Object record(JsonParser p, Class<?> type) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw mismatch(p, "an object");
        }
        RecordComponent[] components = type.getRecordComponents();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < components.length; i++) {
            index.put(components[i].getName(), i);
        }
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            Class<?> c = components[i].getType();
            args[i] = c.isPrimitive() ? primitiveDefault(c) : null;
        }
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            Integer i = index.get(p.currentName());
            p.nextToken();
            if (i == null) {
                p.skipChildren();
            } else {
                args[i] = value(p, components[i].getGenericType());
            }
        }
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new JsonParseException(p, type.getSimpleName() + ": " + e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }

    private static List<Object> list(JsonParser p, Type element) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw mismatch(p, "an array");
        }
        List<Object> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            out.add(value(p, element));
        }
        return out;
    }

    private static Map<String, Object> map(JsonParser p, Type valueType) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw mismatch(p, "an object");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String key = p.currentName();
            p.nextToken();
            out.put(key, value(p, valueType));
        }
        return out;
    }

    private static Instant instant(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        try {
            if (t == JsonToken.VALUE_STRING) {
                return Instant.parse(p.getText());
            }
            if (t.isNumeric()) {
                BigDecimal seconds = p.getDecimalValue();
                return Instant.ofEpochSecond(seconds.longValue(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new JsonParseException(p, "not an ISO-8601 instant: " + p.getText());
        }
        throw mismatch(p, "an ISO-8601 instant");
    }

    private static Object enumValue(JsonParser p, Class<?> type) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw mismatch(p, "one of " + List.of(type.getEnumConstants()));
        }
        String name = p.getText();
        for (Object c : type.getEnumConstants()) {
            if (((Enum<?>) c).name().equals(name)) {
                return c;
            }
        }
        throw new JsonParseException(p, "'" + name + "' is not one of " + List.of(type.getEnumConstants()));
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType pt) {
            return (Class<?>) pt.getRawType();
        }
        throw new IllegalArgumentException("RecordJson cannot read " + type);
    }

    private static Type argument(Type type, int i) {
        if (type instanceof ParameterizedType pt) {
            return pt.getActualTypeArguments()[i];
        }
        throw new IllegalArgumentException("RecordJson needs the element type of " + type);
    }

    private static Object primitiveDefault(Class<?> c) {
        if (c == boolean.class) {
            return false;
        }
        if (c == double.class) {
            return 0.0;
        }
        if (c == long.class) {
            return 0L;
        }
        return 0;
    }

    private static JsonParseException mismatch(JsonParser p, String expected) {
        return new JsonParseException(p, "expected " + expected + " but found " + p.currentToken()
                + " at " + p.getParsingContext().pathAsPointer());
    }
}
