package io.orchestr.manager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Writes job rows behind the API's back, for states a test cannot reach through it (yet): a status another
 * capability sets, a change long ago.
 */
final class Rows {
    private final DataSource dataSource;

    Rows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Shows the job in {@code status}, as if it had got there by itself. */
    void setStatus(UUID jobId, String status) {
        update("UPDATE job SET status = ?, active_name = CASE WHEN ? = 'Deleted' THEN NULL ELSE active_name END"
                + " WHERE id = ?", status, status, jobId.toString());
    }

    /** Makes the job's last change {@code days} days old. */
    void age(UUID jobId, int days) {
        update("UPDATE job SET modified_at = UTC_TIMESTAMP(3) - INTERVAL ? DAY WHERE id = ?", days, jobId.toString());
    }

    private void update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            if (statement.executeUpdate() != 1) {
                throw new IllegalStateException("no job row changed by " + sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
