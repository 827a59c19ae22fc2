# Messages every part of prakat shares. One file per area (cli.ftl, newsroom.ftl …); every id
# here exists in locales/th with the same variables (a test checks).
yes = yes
no = no
error-prefix = prakat: { $message }
