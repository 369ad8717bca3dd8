package dev.atrium.console.ui;

import com.vaadin.flow.component.confirmdialog.ConfirmDialog;

/** Confirmation before something that cannot be undone (revoke, remove, delete). */
public final class Confirm {

    private Confirm() {
    }

    public static void destructive(String header, String text, String confirmText, Runnable action) {
        ConfirmDialog confirm = new ConfirmDialog(header, text, confirmText, event -> action.run());
        confirm.setConfirmButtonTheme("error primary");
        confirm.setCancelable(true);
        confirm.open();
    }
}
