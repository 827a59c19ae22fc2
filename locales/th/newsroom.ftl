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

## การแก้ไขประกาศที่เผยแพร่แล้ว แยกตามช่องทาง
correction-edited = { $channel }: แก้ไขเป็นข้อความใหม่แล้ว
correction-retracted = { $channel }: ถอนออกแล้ว
correction-not-out = { $channel }: ยังไม่ได้เผยแพร่ จะเผยแพร่ด้วยข้อความใหม่ หรือไม่เผยแพร่เลย
correction-superseded = { $channel }: มีการแก้ไขครั้งใหม่แทนแล้ว
correction-no-edit = { $channel }: แก้ไขไม่ได้หลังส่งแล้ว (แพลตฟอร์มไม่มีช่องทางให้แก้ไข) สิ่งที่ต้องทำเอง: หากจำเป็น ให้ส่งข้อความแก้ไข หรือลบโพสต์แล้วเผยแพร่ใหม่: { $url }
correction-no-retract = { $channel }: prakat ถอนออกไม่ได้ (แพลตฟอร์มไม่มีช่องทางให้ลบ) สิ่งที่ต้องทำเอง: ลบในแอปของแพลตฟอร์ม หรือส่งข้อความแจ้งว่าถอนประกาศแล้ว: { $url }
correction-maybe-out = { $channel }: การเผยแพร่ถูกขัดจังหวะ และอาจถึงแพลตฟอร์มแล้ว ซึ่ง prakat ตรวจสอบไม่ได้ สิ่งที่ต้องทำเอง: ค้นหาโพสต์นั้นแล้วลบ
correction-channel-gone = { $channel }: ช่องทางนี้ไม่อยู่ในการตั้งค่าแล้ว สิ่งที่ต้องทำเอง: แก้ไขหรือลบโพสต์ที่แพลตฟอร์มโดยตรง
correction-failed = { $channel }: แพลตฟอร์มไม่ยอมรับการแก้ไข: { $error } สิ่งที่ต้องทำ: แก้ไขสาเหตุ แล้วแก้โพสต์ด้วยตนเองหรือสั่งแก้ไขอีกครั้ง
correction-edit-waiting = { $channel }: จะส่งข้อความใหม่ในอีกสักครู่
correction-retract-waiting = { $channel }: จะถอนออกในอีกสักครู่
newsroom-correction-same = หัวข้อและข้อความใหม่เหมือนของเดิม: ไม่มีอะไรต้องแก้ไข
newsroom-correction-pending = ประกาศ { $id } ยังรออนุมัติ: ให้แก้ไขในขั้นตอนอนุมัติแทน
newsroom-correction-retracted = ประกาศ { $id } ถอนแล้ว: แก้ไขไม่ได้
newsroom-correction-state = ประกาศ { $id } อยู่ในสถานะ { $state }: แก้ไขหรือถอนได้เฉพาะประกาศที่อนุมัติแล้ว
newsroom-retract-reason-needed = ระบุเหตุผลที่ถอนประกาศ (--reason): หน้าเว็บไซต์จะแสดงเหตุผล และบันทึกไว้ในประวัติการดำเนินการ
