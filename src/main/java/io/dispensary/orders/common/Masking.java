package io.dispensary.orders.common;

/** Masks personal data for logs: enough to tell records apart, never enough to contact or identify someone. */
public final class Masking {

    private Masking() {}

    /** {@code +14155550123} -> {@code +1*******23}. */
    public static String phone(String phone) {
        if (phone == null || phone.length() < 5) {
            return "***";
        }
        return phone.substring(0, 2) + "*".repeat(phone.length() - 4) + phone.substring(phone.length() - 2);
    }

    /** {@code ada@example.com} -> {@code a***@e***}. */
    public static String email(String email) {
        if (email == null) {
            return null;
        }
        int at = email.indexOf('@');
        if (at < 1 || at == email.length() - 1) {
            return "***";
        }
        return email.charAt(0) + "***@" + email.charAt(at + 1) + "***";
    }

    /** A birth date shows as its decade only. */
    public static String birthDate(java.time.LocalDate date) {
        return date == null ? null : (date.getYear() / 10 * 10) + "s";
    }
}
