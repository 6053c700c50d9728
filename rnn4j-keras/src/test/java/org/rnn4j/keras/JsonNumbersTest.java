package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The JSON reader's numbers are the doubles {@link Double#parseDouble} gives for the same text, bit for
 * bit (the fast parser must never change a served prediction), for the forms clients write: Java's
 * shortest float/double strings, Python's 17-digit reprs, exponents, subnormals, halfway cases.
 */
class JsonNumbersTest {

    @Test
    void everyNumberEqualsDoubleParseDouble() throws Exception {
        Random r = new Random(7);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            float f = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10));
            double d = Double.longBitsToDouble(r.nextLong());
            if (!Double.isFinite(d) || Math.abs(Math.getExponent(d)) > 200) {
                d = r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
            }
            texts.add(Float.toString(f));
            texts.add(Double.toString(d));
            texts.add(new BigDecimal((double) f).round(new MathContext(17)).toString());
            texts.add(new BigDecimal(d).round(new MathContext(1 + r.nextInt(25))).toString());
            // the exact midpoint between two adjacent doubles: ties to even
            texts.add(new BigDecimal(d).add(new BigDecimal(Math.ulp(d)).divide(BigDecimal.valueOf(2))).toString());
        }
        texts.addAll(List.of("0.0", "-0.0", "1e-320", "4.9e-324", "2.4703282292062327e-324", "1.7976931348623157e308",
                "1e309", "-1e400", "123456789012345678901234567890.5", "0.1", "9007199254740993.0", "1E+2", "5e-1"));
        for (String t : texts) {
            if (t.length() > 400) {
                continue; // the reader refuses longer numbers by design
            }
            if (t.contains("E") && !t.matches("-?[0-9]+(\\.[0-9]+)?E[+-]?[0-9]+")) {
                continue;
            }
            String json = t.startsWith("-") || Character.isDigit(t.charAt(0)) ? t : "0";
            Object parsed = Json.parse("[" + json + "]", "test");
            Object v = ((List<?>) parsed).get(0);
            double expected = Double.parseDouble(json);
            double actual = ((Number) v).doubleValue();
            if (v instanceof Long) {
                assertEquals(Long.parseLong(json), (long) (Long) v, json);
            } else {
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), json);
            }
        }
    }

    @Test
    void malformedNumbersNameTheirOffset() {
        for (String bad : new String[] {"[1.]", "[-]", "[1e]", "[01x]", "[.5]", "[1e+]"}) {
            KerasFormatException e = assertThrows(KerasFormatException.class, () -> Json.parse(bad, "the body"));
            assertEquals(true, e.getMessage().startsWith("the body is not valid JSON: "), e.getMessage());
            assertEquals(true, e.getMessage().contains("at offset"), e.getMessage());
        }
    }
}
