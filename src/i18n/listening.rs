//! Strings of the report's "What customers said" section (free-text answers, their codes
//! and the keyword lists) in Vietnamese and English.

use crate::domain::Locale;

pub struct ListeningUi {
    pub title: &'static str,
    /// The link from the report (it keeps the report's filters).
    pub link: &'static str,
    pub lead: &'static str,
    pub back_to_report: &'static str,
    pub class_label: &'static str,
    pub all_classes: &'static str,
    pub search_label: &'static str,
    pub search_hint: &'static str,
    pub apply: &'static str,
    /// The filters' base is under 30: (respondents).
    pub too_few: fn(u64) -> String,
    pub empty: &'static str,
    /// (respondents the filters count).
    pub base: fn(u64) -> String,
    pub masked_note: &'static str,
    pub unmasked_note: &'static str,
    pub turn_masking_off: &'static str,
    pub turn_masking_on: &'static str,
    pub completed_on: &'static str,
    pub class: &'static str,
    pub segments: &'static str,
    pub codes: &'static str,
    pub no_codes: &'static str,
    pub suggested: &'static str,
    /// Button labels with the code's name, for screen readers: (code).
    pub confirm: fn(&str) -> String,
    pub reject: fn(&str) -> String,
    pub remove: fn(&str) -> String,
    pub add_code: &'static str,
    pub theme_option: &'static str,
    pub theme_label: &'static str,
    pub add: &'static str,
    pub older: &'static str,
    pub newest: &'static str,
    /// The read stopped before the page was full: (answers looked at).
    pub scan_limited: fn(usize) -> String,
    pub shares_title: &'static str,
    pub shares_lead: &'static str,
    pub code_col: &'static str,
    pub no_coded: &'static str,
    pub too_few_coded: &'static str,
    /// (code, values-only share, contact-only share, ratio), shares as fractions.
    pub times_as_often: fn(&str, f64, f64, f64) -> String,
    /// Theme codes are shown as: (theme).
    pub theme: fn(&str) -> String,
    // Problems.
    pub bad_code: &'static str,
    pub no_such_answer: &'static str,
    // The brand page's keyword lists.
    pub keywords_title: &'static str,
    pub keywords_lead: &'static str,
    /// Label of a value's keyword box: (value, language).
    pub keywords_label: fn(&str, &str) -> String,
    pub keywords_save: &'static str,
    pub keywords_saved: &'static str,
}

pub fn listening_ui(locale: Locale) -> &'static ListeningUi {
    match locale {
        Locale::Vi => &VI,
        Locale::En => &EN,
    }
}

static VI: ListeningUi = ListeningUi {
    title: "Khách hàng nói gì",
    link: "Khách hàng nói gì",
    lead: "Mọi câu trả lời tự viết của người trả lời trong báo cáo này, mới nhất trước, kèm \
           nhóm gắn kết, câu trả lời phân nhóm và ngày. Gắn mã theo giá trị của thương hiệu \
           hoặc một chủ đề để biết nhóm khách hàng nào nói về điều gì.",
    back_to_report: "Về báo cáo (đổi bộ lọc)",
    class_label: "Nhóm gắn kết",
    all_classes: "Mọi nhóm",
    search_label: "Tìm trong câu trả lời",
    search_hint: "Không cần gõ dấu: “moi truong” tìm được “môi trường”.",
    apply: "Xem",
    too_few: |n| {
        format!(
            "Chỉ hiển thị câu trả lời khi bộ lọc có ít nhất 30 người trả lời (hiện có {n}), \
             như mọi số liệu khác: nhóm nhỏ hơn có thể làm lộ người trả lời."
        )
    },
    empty: "Không có câu trả lời tự viết nào khớp với bộ lọc này.",
    base: |n| format!("{n} người trả lời khớp với bộ lọc."),
    masked_note: "Địa chỉ e-mail và số điện thoại được che.",
    unmasked_note: "Quản trị viên đã tắt che e-mail và số điện thoại cho khảo sát này.",
    turn_masking_off: "Hiện e-mail và số điện thoại",
    turn_masking_on: "Che e-mail và số điện thoại",
    completed_on: "Ngày",
    class: "Nhóm",
    segments: "Phân nhóm",
    codes: "Mã",
    no_codes: "Chưa gắn mã.",
    suggested: "Gợi ý",
    confirm: |c| format!("Xác nhận mã {c}"),
    reject: |c| format!("Bỏ gợi ý {c}"),
    remove: |c| format!("Gỡ mã {c}"),
    add_code: "Gắn mã",
    theme_option: "Chủ đề khác (nhập bên cạnh)",
    theme_label: "Chủ đề",
    add: "Gắn",
    older: "Câu trả lời cũ hơn",
    newest: "Mới nhất",
    scan_limited: |n| {
        format!(
            "Đã xem {n} câu trả lời mà chưa đủ một trang kết quả; bấm “Câu trả lời cũ hơn” \
             để tìm tiếp."
        )
    },
    shares_title: "Mã theo nhóm gắn kết",
    shares_lead: "Tỷ lệ câu trả lời đã gắn mã mang từng mã, theo nhóm gắn kết (khoảng tin cậy \
                  95% Wilson). Nhóm dưới 30 câu trả lời đã gắn mã không được hiển thị.",
    code_col: "Mã",
    no_coded: "Chưa có câu trả lời nào được gắn mã.",
    too_few_coded: "quá ít",
    times_as_often: |code, v, c, r| {
        format!(
            "{code}: {:.0}% câu trả lời đã gắn mã của nhóm chỉ giá trị, so với {:.0}% của nhóm \
             chỉ liên lạc — gấp {r:.1} lần (khoảng tin cậy trong bảng).",
            100.0 * v,
            100.0 * c
        )
    },
    theme: |t| format!("Chủ đề: {t}"),
    bad_code: "Mã này không phải giá trị của thương hiệu hay một chủ đề hợp lệ.",
    no_such_answer: "Không tìm thấy câu trả lời này trong khảo sát.",
    keywords_title: "Từ khóa của các giá trị",
    keywords_lead: "Từ khóa gợi ý mã cho câu trả lời chưa gắn mã (không phân biệt dấu, khớp \
                    nguyên từ). Mỗi dòng một từ khóa; người đọc vẫn xác nhận hoặc bỏ gợi ý.",
    keywords_label: |v, lang| format!("{v}: từ khóa ({lang})"),
    keywords_save: "Lưu từ khóa",
    keywords_saved: "Đã lưu từ khóa.",
};

static EN: ListeningUi = ListeningUi {
    title: "What customers said",
    link: "What customers said",
    lead: "Every written answer of the respondents in this report, newest first, with their \
           bond class, segment answers and date. Code them to the brand's values or a theme \
           to see which customers talk about what.",
    back_to_report: "Back to the report (change filters)",
    class_label: "Bond class",
    all_classes: "All classes",
    search_label: "Search the answers",
    search_hint: "Accents are optional: “moi truong” finds “môi trường”.",
    apply: "Show",
    too_few: |n| {
        format!(
            "Answers are shown only when at least 30 respondents match the filters (now {n}), \
             like every other figure: a smaller group could identify people."
        )
    },
    empty: "No written answers match these filters.",
    base: |n| format!("{n} respondents match the filters."),
    masked_note: "E-mail addresses and phone numbers are masked.",
    unmasked_note:
        "An admin turned masking of e-mail addresses and phone numbers off for this survey.",
    turn_masking_off: "Show e-mail addresses and phone numbers",
    turn_masking_on: "Mask e-mail addresses and phone numbers",
    completed_on: "Date",
    class: "Class",
    segments: "Segments",
    codes: "Codes",
    no_codes: "Not coded yet.",
    suggested: "Suggested",
    confirm: |c| format!("Confirm code {c}"),
    reject: |c| format!("Reject suggestion {c}"),
    remove: |c| format!("Remove code {c}"),
    add_code: "Code",
    theme_option: "Another theme (type it beside)",
    theme_label: "Theme",
    add: "Add",
    older: "Older answers",
    newest: "Newest",
    scan_limited: |n| {
        format!(
            "Looked at {n} answers without filling a page of results; choose “Older answers” \
             to search on."
        )
    },
    shares_title: "Codes by bond class",
    shares_lead: "The share of coded answers that carry each code, by bond class (95% Wilson \
                  interval). A class with fewer than 30 coded answers is not shown.",
    code_col: "Code",
    no_coded: "No answer has been coded yet.",
    too_few_coded: "too few",
    times_as_often: |code, v, c, r| {
        format!(
            "{code}: {:.0}% of values-only customers' coded answers against {:.0}% of \
             contact-only ones — {r:.1}× as often (intervals in the table).",
            100.0 * v,
            100.0 * c
        )
    },
    theme: |t| format!("Theme: {t}"),
    bad_code: "This code is neither one of the brand's values nor a valid theme.",
    no_such_answer: "This answer was not found in the survey.",
    keywords_title: "Keywords of the values",
    keywords_lead: "Keywords suggest codes for uncoded answers (accents ignored, whole words \
                    only). One keyword a line; a reader still confirms or rejects each suggestion.",
    keywords_label: |v, lang| format!("{v}: keywords ({lang})"),
    keywords_save: "Save keywords",
    keywords_saved: "Keywords saved.",
};
