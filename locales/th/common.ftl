yes = ใช่
no = ไม่ใช่
error-prefix = prakat: { $message }
# ข้อความที่เขียนมาแล้วทั้งสองภาษาจากส่วนอื่น
as-written = { $text }
# A span of time in words. $unit: second, minute, hour, day.
duration = { $n } { $unit ->
        [second] วินาที
        [minute] นาที
        [day] วัน
       *[hour] ชั่วโมง
    }
# A day of the week, from its English abbreviation.
weekday = { $day ->
        [Mon] วันจันทร์
        [Tue] วันอังคาร
        [Wed] วันพุธ
        [Thu] วันพฤหัสบดี
        [Fri] วันศุกร์
        [Sat] วันเสาร์
       *[Sun] วันอาทิตย์
    }
