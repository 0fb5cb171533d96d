package dev.portside.common.db;

import java.sql.SQLException;

/** Recognises constraint violations, which H2 and PostgreSQL both report with SQL-standard states. */
public final class Constraints {
    private Constraints() {
    }

    /** A unique or primary-key constraint refused the write: the database, not a prior read, decided "duplicate". */
    public static boolean isUniqueViolation(Throwable error) {
        return hasState(error, "23505");
    }

    private static boolean hasState(Throwable error, String state) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
