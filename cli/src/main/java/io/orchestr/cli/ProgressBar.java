package io.orchestr.cli;

import io.orchestr.shared.Progress;

/** A job's progress as text: {@code [#####.....] 50% 5/10 copying}, or the count alone when the total is unknown. */
final class ProgressBar {
    private static final int WIDTH = 10;

    private ProgressBar() {
    }

    /** The bar for {@code progress}; null when the job reported none. */
    static String of(Progress progress) {
        if (progress == null) {
            return null;
        }
        String text;
        if (progress.total() > 0) {
            long done = Math.max(0, Math.min(progress.done(), progress.total()));
            int filled = (int) (done * WIDTH / progress.total());
            text = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done * 100 / progress.total() + "% "
                    + progress.done() + "/" + progress.total();
        } else {
            text = String.valueOf(progress.done());
        }
        return progress.message() == null ? text : text + " " + progress.message();
    }
}
