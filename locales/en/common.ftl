# Messages every part of prakat shares. One file per area (cli.ftl, newsroom.ftl …); every id
# here exists in locales/th with the same variables (a test checks).
yes = yes
no = no
error-prefix = prakat: { $message }
# A text that arrived already worded (in both languages) from elsewhere.
as-written = { $text }
