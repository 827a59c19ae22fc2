yes = ใช่
no = ไม่ใช่
error-prefix = prakat: { $message }
