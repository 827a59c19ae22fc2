yes = ใช่
no = ไม่ใช่
error-prefix = prakat: { $message }
# ข้อความที่เขียนมาแล้วทั้งสองภาษาจากส่วนอื่น
as-written = { $text }
