newsroom-text-empty = ข้อความว่างเปล่า
newsroom-bad-link = ลิงก์ { $link } ไม่ใช่ที่อยู่เว็บ: ใส่ลิงก์ที่ขึ้นต้นด้วย http:// หรือ https://
newsroom-unknown-department = ไม่มีหน่วยงาน { $department } (ที่มี: { $known })
newsroom-other-department = ท่านส่งข่าวในนามหน่วยงาน { $own } ไม่ใช่ { $department }
newsroom-channel-off = ไม่ได้เปิดใช้ช่องทาง { $channel } (ที่เปิดใช้: { $enabled })
newsroom-bad-cron = นิพจน์ cron { $expr } ไม่ถูกต้อง: { $why } (ใช้ 6 ช่อง ขึ้นต้นด้วยวินาที ตามเวลากรุงเทพฯ เช่น "0 0 9 * * Mon" = ทุกวันจันทร์ 09:00)
newsroom-time-past = { $at } เป็นเวลาที่ผ่านมาแล้ว (ขณะนี้ { $now } เวลากรุงเทพฯ) ให้เผยแพร่ทันทีแทน
newsroom-only-pr-officer = เฉพาะเจ้าหน้าที่ประชาสัมพันธ์ (หรือผู้ดูแลระบบ) เท่านั้นที่ทำรายการนี้ได้
newsroom-not-yours = เฉพาะผู้ส่งหรือเจ้าหน้าที่ประชาสัมพันธ์เท่านั้นที่แก้ไขหรือถอนประกาศนี้ได้
newsroom-reason-needed = กรุณาระบุเหตุผลที่ไม่อนุมัติ (ผู้ส่งจะได้รับแจ้ง)
newsroom-already-decided = ประกาศ { $id } { $state ->
        [approved] ได้รับอนุมัติแล้ว
        [rejected] ถูกปฏิเสธแล้ว
        [withdrawn] ถูกถอนแล้ว
       *[other] อยู่ในสถานะ { $state } แล้ว
    } (โดย { $by } เมื่อ { $at } เวลากรุงเทพฯ)
newsroom-bad-time = { $input } ไม่ใช่วันเวลา: เขียนเป็น "ปปปป-ดด-วว ชช:นน" ตามเวลากรุงเทพฯ ใช้ปี พ.ศ. หรือ ค.ศ. ก็ได้ เช่น "2569-12-01 09:00" หรือ "01/12/2569 09.00"
people-department-needed = การเชิญเจ้าหน้าที่หน่วยงานต้องระบุหน่วยงาน (--department)
people-bad-invite = รหัสเชิญนี้ไม่ถูกต้อง ถูกใช้แล้ว หรือหมดอายุ กรุณาขอรหัสใหม่จากเจ้าหน้าที่ประชาสัมพันธ์
newsroom-rule-too-frequent = รอบเวลา "{ $expr }" จะประกาศ { $count } ครั้งภายใน 24 ชั่วโมงนับจาก{ $at } ห่างกันครั้งละ { $gap } ซึ่งถี่กว่าหนึ่งครั้งต่อ { $min } (ค่า rules.min_interval) หากต้องการประกาศถี่เช่นนี้จริง ให้เพิ่ม --allow-frequent
newsroom-rule-too-frequent-suggest = รอบเวลา "{ $expr }" จะประกาศ { $count } ครั้งภายใน 24 ชั่วโมงนับจาก{ $at } ห่างกันครั้งละ { $gap } ซึ่งถี่กว่าหนึ่งครั้งต่อ { $min } (ค่า rules.min_interval) หากต้องการประกาศครั้งเดียวในเวลานั้น ให้เขียน "{ $suggestion }" หากต้องการประกาศถี่เช่นนี้จริง ให้เพิ่ม --allow-frequent
newsroom-rule-already-paused = กำหนดการ { $id } หยุดชั่วคราวอยู่แล้ว (สั่ง prakat rule resume { $id } เพื่อให้ประกาศต่อ)
newsroom-rule-not-paused = กำหนดการ { $id } ไม่ได้หยุดชั่วคราว
