//! Strings of invitations by e-mail (the send screen, the messages themselves, the
//! unsubscribe page and upload problems) in Vietnamese and English.

use crate::domain::Locale;

pub struct InvitationsUi {
    pub title: fn(&str) -> String,
    pub lead: &'static str,
    pub upload_title: &'static str,
    pub upload_hint: &'static str,
    pub upload_label: &'static str,
    pub upload: &'static str,
    /// (contacts, of whom unsubscribed)
    pub contacts_count: fn(i64, usize) -> String,
    pub contact_email: &'static str,
    pub contact_name: &'static str,
    pub contact_language: &'static str,
    pub unsubscribed: &'static str,
    pub status: &'static str,
    pub delete: &'static str,
    pub preview_title: &'static str,
    pub send_title: &'static str,
    /// (to be sent, held back by the cap, cap, unsubscribed, already invited)
    pub plan: fn(usize, usize, i64, usize, usize) -> String,
    pub send: &'static str,
    pub anonymous: &'static str,
    pub no_smtp: &'static str,
    pub not_open: &'static str,
    pub remind_title: &'static str,
    pub remind_lead: &'static str,
    pub remind_days: &'static str,
    pub remind: &'static str,
    pub days_invalid: &'static str,
    pub queue_title: &'static str,
    /// (queued or sending, sent, failed, cancelled)
    pub queue: fn(i64, i64, i64, i64) -> String,
    pub refresh: &'static str,
    /// (new contacts, rows merged)
    pub uploaded: fn(u64, usize) -> String,
    /// (queued, held back by the cap)
    pub queued: fn(usize, usize) -> String,
    pub deleted: &'static str,
    pub upload_problems: &'static str,
    pub problem: fn(&crate::domain::contacts::UploadProblem) -> String,
    pub no_file: &'static str,
    /// (brand, is a reminder)
    pub mail_subject: fn(&str, bool) -> String,
    /// (name, brand, invite link, unsubscribe link, is a reminder)
    pub mail_body: fn(&str, &str, &str, &str, bool) -> String,
    pub unsubscribe_title: &'static str,
    /// (brand, address)
    pub unsubscribe_confirm: fn(&str, &str) -> String,
    pub unsubscribe_button: &'static str,
    pub unsubscribed_done: fn(&str) -> String,
}

pub fn invitations_ui(locale: Locale) -> &'static InvitationsUi {
    match locale {
        Locale::Vi => &VI,
        Locale::En => &EN,
    }
}

fn vi_problem(p: &crate::domain::contacts::UploadProblem) -> String {
    use crate::domain::contacts::UploadProblem as P;
    match p {
        P::NotUtf8 => "Tệp không phải UTF-8. Hãy lưu lại dạng \"CSV UTF-8\".".into(),
        P::Empty => "Danh sách không có liên hệ nào.".into(),
        P::NoEmailColumn => "Dòng tiêu đề phải có cột \"email\".".into(),
        P::BadColumn(c) => format!("Cột \"{c}\" trống tên hoặc bị lặp."),
        P::TooManyContacts => "Quá nhiều liên hệ trong một lần tải (tối đa 20.000).".into(),
        P::Malformed { line } => format!("Dòng {line}: không đọc được dạng CSV."),
        P::BadEmail { line, value } => {
            format!("Dòng {line}: \"{value}\" không phải địa chỉ e-mail.")
        }
        P::BadLanguage { line, value } => {
            format!("Dòng {line}: ngôn ngữ \"{value}\" không hợp lệ (vi hoặc en).")
        }
        P::TooLong { line } => {
            format!("Dòng {line}: tên hoặc câu trả lời quá dài (tối đa 200 ký tự).")
        }
    }
}

fn en_problem(p: &crate::domain::contacts::UploadProblem) -> String {
    use crate::domain::contacts::UploadProblem as P;
    match p {
        P::NotUtf8 => "The file is not UTF-8. Save it as \"CSV UTF-8\".".into(),
        P::Empty => "The list holds no contacts.".into(),
        P::NoEmailColumn => "The header row needs an \"email\" column.".into(),
        P::BadColumn(c) => format!("Column \"{c}\" has no name or appears twice."),
        P::TooManyContacts => "Too many contacts in one upload (at most 20,000).".into(),
        P::Malformed { line } => format!("Line {line}: not readable as CSV."),
        P::BadEmail { line, value } => {
            format!("Line {line}: \"{value}\" is not an e-mail address.")
        }
        P::BadLanguage { line, value } => {
            format!("Line {line}: language \"{value}\" is not vi or en.")
        }
        P::TooLong { line } => {
            format!("Line {line}: a name or answer is too long (at most 200 characters).")
        }
    }
}

static VI: InvitationsUi = InvitationsUi {
    title: |s| format!("Mời qua e-mail · {s}"),
    lead: "Tải danh sách liên hệ, xem trước thư và gửi: mỗi liên hệ nhận một đường dẫn mời \
           dùng một lần, bằng ngôn ngữ của họ.",
    upload_title: "Danh sách liên hệ",
    upload_hint: "CSV UTF-8 (có hoặc không có BOM), dòng đầu là tiêu đề: email, tuỳ chọn name, \
                  language (vi/en) và các cột câu trả lời phân nhóm. Địa chỉ trùng được gộp.",
    upload_label: "Tệp CSV",
    upload: "Tải lên",
    contacts_count: |n, u| {
        format!("{n} liên hệ của thương hiệu, {u} đã huỷ đăng ký (trong số đang hiện).")
    },
    contact_email: "E-mail",
    contact_name: "Tên",
    contact_language: "Ngôn ngữ",
    unsubscribed: "đã huỷ đăng ký",
    status: "Trạng thái",
    delete: "Xoá",
    preview_title: "Xem trước thư mời",
    send_title: "Gửi lời mời",
    plan: |n, held, cap, unsub, done| {
        format!(
            "Sẽ gửi {n}. Giữ lại vì giới hạn {cap} thư/30 ngày: {held}. \
             Đã huỷ đăng ký: {unsub}. Đã được mời: {done}."
        )
    },
    send: "Gửi lời mời",
    anonymous: "Câu trả lời vẫn ẩn danh: báo cáo và trang câu trả lời không cho biết liên hệ \
                nào đã trả lời. Chỉ lưu e-mail, tên, ngôn ngữ, câu trả lời phân nhóm và \
                trạng thái từng thư.",
    no_smtp: "Chưa cấu hình máy chủ gửi thư (SMTP_URL), nên không thể gửi. Không có gì được \
              xếp hàng.",
    not_open: "Khảo sát chưa mở: hãy xuất bản trước khi gửi lời mời.",
    remind_title: "Nhắc lại",
    remind_lead: "Chỉ gửi cho liên hệ chưa hoàn thành, sau số ngày đã chọn kể từ thư trước; \
                  tối đa hai lần nhắc.",
    remind_days: "Số ngày kể từ thư trước",
    remind: "Gửi lời nhắc",
    days_invalid: "Số ngày phải là số nguyên từ 0 đến 60.",
    queue_title: "Hàng đợi",
    queue: |q, s, f, c| format!("Đang chờ: {q} · Đã gửi: {s} · Lỗi: {f} · Đã huỷ: {c}"),
    refresh: "Làm mới",
    uploaded: |n, m| format!("Đã lưu danh sách: {n} liên hệ mới, {m} dòng trùng được gộp."),
    queued: |n, held| format!("Đã xếp hàng {n} thư; {held} giữ lại vì giới hạn."),
    deleted: "Đã xoá liên hệ và các thư của họ.",
    upload_problems: "Danh sách chưa được lưu. Hãy sửa các dòng sau rồi tải lại:",
    problem: vi_problem,
    no_file: "Hãy chọn một tệp CSV.",
    mail_subject: |brand, reminder| {
        if reminder {
            format!("Nhắc lại: {brand} mong nghe ý kiến của bạn")
        } else {
            format!("{brand} mời bạn tham gia khảo sát")
        }
    },
    mail_body: |name, brand, link, unsub, reminder| {
        let hello = if name.is_empty() {
            "Xin chào,".to_string()
        } else {
            format!("Chào {name},")
        };
        let ask = if reminder {
            format!("{brand} nhắc lại lời mời: khảo sát ngắn vẫn đang chờ bạn.")
        } else {
            format!("{brand} mời bạn trả lời một khảo sát ngắn về những giá trị bạn quan tâm.")
        };
        format!(
            "{hello}\r\n\r\n{ask}\r\n\r\n{link}\r\n\r\nĐường dẫn này chỉ dành cho bạn và dùng \
             được một lần.\r\n\r\nKhông muốn nhận thư khảo sát của {brand} nữa? Huỷ đăng ký: {unsub}\r\n"
        )
    },
    unsubscribe_title: "Huỷ đăng ký",
    unsubscribe_confirm: |brand, email| {
        format!("Ngừng gửi mọi thư khảo sát của {brand} đến {email}?")
    },
    unsubscribe_button: "Huỷ đăng ký",
    unsubscribed_done: |brand| {
        format!("Đã huỷ đăng ký. {brand} sẽ không gửi thư khảo sát cho bạn nữa.")
    },
};

static EN: InvitationsUi = InvitationsUi {
    title: |s| format!("Invite by e-mail · {s}"),
    lead: "Upload a contact list, preview the message and send: each contact gets one \
           single-use invite link, in their language.",
    upload_title: "Contact list",
    upload_hint: "CSV in UTF-8 (with or without BOM), a header row: email, optional name, \
                  language (vi/en) and segment answer columns. Duplicate addresses are merged.",
    upload_label: "CSV file",
    upload: "Upload",
    contacts_count: |n, u| format!("{n} contacts of the brand, {u} unsubscribed (of those shown)."),
    contact_email: "E-mail",
    contact_name: "Name",
    contact_language: "Language",
    unsubscribed: "unsubscribed",
    status: "Status",
    delete: "Delete",
    preview_title: "Invitation preview",
    send_title: "Send invitations",
    plan: |n, held, cap, unsub, done| {
        format!(
            "To be sent: {n}. Held back by the cap of {cap} e-mails per 30 days: {held}. \
             Unsubscribed: {unsub}. Already invited: {done}."
        )
    },
    send: "Send invitations",
    anonymous: "Responses stay anonymous: the report and response pages never show which \
                contact answered. Only the e-mail, name, language, segment answers and each \
                message's status are kept.",
    no_smtp: "No mail server is configured (SMTP_URL), so nothing can be sent. Nothing is \
              queued.",
    not_open: "The survey is not open: publish it before sending invitations.",
    remind_title: "Reminders",
    remind_lead: "Only to contacts who have not completed, the chosen number of days after \
                  their last message; two reminders at most.",
    remind_days: "Days since the last message",
    remind: "Send reminders",
    days_invalid: "The days must be a whole number from 0 to 60.",
    queue_title: "Queue",
    queue: |q, s, f, c| format!("Waiting: {q} · Sent: {s} · Failed: {f} · Cancelled: {c}"),
    refresh: "Refresh",
    uploaded: |n, m| format!("List saved: {n} new contacts, {m} duplicate rows merged."),
    queued: |n, held| format!("{n} messages queued; {held} held back by the cap."),
    deleted: "The contact and their messages were deleted.",
    upload_problems: "The list was not saved. Fix these rows and upload it again:",
    problem: en_problem,
    no_file: "Choose a CSV file.",
    mail_subject: |brand, reminder| {
        if reminder {
            format!("Reminder: {brand} would like to hear from you")
        } else {
            format!("{brand} invites you to a short survey")
        }
    },
    mail_body: |name, brand, link, unsub, reminder| {
        let hello = if name.is_empty() {
            "Hello,".to_string()
        } else {
            format!("Hello {name},")
        };
        let ask = if reminder {
            format!("A reminder from {brand}: the short survey is still waiting for you.")
        } else {
            format!("{brand} invites you to answer a short survey about the values you care about.")
        };
        format!(
            "{hello}\r\n\r\n{ask}\r\n\r\n{link}\r\n\r\nThis link is yours alone and works \
             once.\r\n\r\nNo more survey e-mails from {brand}? Unsubscribe: {unsub}\r\n"
        )
    },
    unsubscribe_title: "Unsubscribe",
    unsubscribe_confirm: |brand, email| {
        format!("Stop every survey e-mail from {brand} to {email}?")
    },
    unsubscribe_button: "Unsubscribe",
    unsubscribed_done: |brand| {
        format!("Unsubscribed. {brand} will send you no more survey e-mails.")
    },
};
