//! Strings of the report's weighting (targets, their form and what weighting did) in
//! Vietnamese and English. Question and option names are the survey's labels, passed in.

use crate::domain::Locale;

pub struct WeightingUi {
    pub title: &'static str,
    pub lead: &'static str,
    /// No targets set yet.
    pub none_set: &'static str,
    /// (who, day) the targets were set.
    pub set_by: fn(&str, &str) -> String,
    /// (respondents, n_eff, smallest weight, largest weight).
    pub weighted: fn(u64, f64, f64, f64) -> String,
    pub not_converged: fn(u32) -> String,
    /// (question, option): a target above 0 that no respondent of the report chose.
    pub empty_target: fn(&str, &str) -> String,
    /// (question, option): an answer without a target.
    pub untargeted: fn(&str, &str) -> String,
    /// Fewer than 30 respondents in the report's base.
    pub too_few: &'static str,
    /// (question, respondents without an answer to it).
    pub unanswered: fn(&str, u64) -> String,
    pub show_unweighted: &'static str,
    pub show_weighted: &'static str,
    /// The report's top line when the figures are weighted / when weights are switched off.
    pub badge_weighted: &'static str,
    pub badge_unweighted: &'static str,
    pub n_eff: &'static str,
    pub use_question: &'static str,
    /// Label of an option's percentage input: (option).
    pub target_label: fn(&str) -> String,
    pub sum_hint: &'static str,
    pub save: &'static str,
    pub remove: &'static str,
    pub saved: &'static str,
    pub removed: &'static str,
    // Problems with entered targets.
    pub none_chosen: &'static str,
    pub too_many: fn(usize) -> String,
    pub not_a_segment: fn(&str) -> String,
    pub unknown_option: fn(&str, &str) -> String,
    pub missing_option: fn(&str, &str) -> String,
    pub out_of_range: fn(&str, &str) -> String,
    pub not_a_number: fn(&str, &str) -> String,
    pub sum_not_100: fn(&str, f64) -> String,
}

pub fn weighting_ui(locale: Locale) -> &'static WeightingUi {
    match locale {
        Locale::Vi => &VI,
        Locale::En => &EN,
    }
}

static VI: WeightingUi = WeightingUi {
    title: "Gia quyền theo tỷ lệ thực tế",
    lead: "Người trả lời không phải lúc nào cũng giống khách hàng của bạn: khách được liên hệ \
           nhiều thường trả lời nhiều hơn. Nhập tỷ lệ thật (ví dụ từ CRM) cho tối đa ba câu \
           hỏi phân nhóm; mọi chỉ số của báo cáo được gia quyền (raking) theo các tỷ lệ đó.",
    none_set: "Chưa đặt tỷ lệ mục tiêu: các chỉ số không gia quyền.",
    set_by: |who, day| format!("Tỷ lệ mục tiêu do {who} đặt ngày {day}."),
    weighted: |n, n_eff, smallest, largest| {
        format!(
            "Các chỉ số đã được gia quyền: {n} người trả lời, cỡ mẫu hiệu dụng n_eff = \
             {n_eff:.1}; trọng số nhỏ nhất {smallest:.2}, lớn nhất {largest:.2}."
        )
    },
    not_converged: |rounds| {
        format!(
            "Không gia quyền được: sau {rounds} vòng, các tỷ lệ vẫn chưa đạt mục tiêu. Báo cáo \
             hiển thị số liệu không gia quyền."
        )
    },
    empty_target: |q, o| {
        format!(
            "Không gia quyền được: không ai trong báo cáo này chọn “{o}” ở câu “{q}”, nên \
             không thể đạt tỷ lệ mục tiêu. Báo cáo hiển thị số liệu không gia quyền."
        )
    },
    untargeted: |q, o| {
        format!(
            "Không gia quyền được: có người chọn “{o}” ở câu “{q}” nhưng lựa chọn này chưa có \
             tỷ lệ mục tiêu. Báo cáo hiển thị số liệu không gia quyền."
        )
    },
    too_few: "Không gia quyền: báo cáo này có dưới 30 người trả lời.",
    unanswered: |q, n| format!("{n} người không trả lời câu “{q}” (giữ trọng số của họ)."),
    show_unweighted: "Xem số liệu không gia quyền",
    show_weighted: "Xem số liệu đã gia quyền",
    badge_weighted: "Đã gia quyền",
    badge_unweighted: "Không gia quyền",
    n_eff: "n hiệu dụng",
    use_question: "Gia quyền theo câu này",
    target_label: |o| format!("Tỷ lệ mục tiêu của “{o}” (%)"),
    sum_hint: "Các tỷ lệ của một câu phải cộng lại bằng 100%.",
    save: "Lưu tỷ lệ mục tiêu",
    remove: "Bỏ gia quyền",
    saved: "Đã lưu tỷ lệ mục tiêu.",
    removed: "Đã bỏ gia quyền.",
    none_chosen: "Hãy chọn ít nhất một câu hỏi để gia quyền, hoặc bấm “Bỏ gia quyền”.",
    too_many: |n| format!("Đã chọn {n} câu hỏi; chỉ được gia quyền theo tối đa 3 câu."),
    not_a_segment: |q| format!("Câu “{q}” không phải câu hỏi phân nhóm."),
    unknown_option: |q, o| format!("Câu “{q}” không có lựa chọn “{o}”."),
    missing_option: |q, o| format!("Hãy nhập tỷ lệ cho “{o}” ở câu “{q}” (nhập 0 nếu không có)."),
    out_of_range: |q, o| format!("Tỷ lệ của “{o}” ở câu “{q}” phải từ 0 đến 100."),
    not_a_number: |q, o| {
        format!("Tỷ lệ của “{o}” ở câu “{q}” phải là một số (ví dụ 30 hoặc 33,5).")
    },
    sum_not_100: |q, sum| {
        format!("Các tỷ lệ của câu “{q}” cộng lại bằng {sum:.2}%, không phải 100%.")
    },
};

static EN: WeightingUi = WeightingUi {
    title: "Weighting to known shares",
    lead: "The people who answer are not always like your customers: those contacted most \
           tend to answer most. Enter the real shares (from your CRM, say) for up to three \
           segment questions; every figure of the report is then weighted (raking) to them.",
    none_set: "No targets set: the figures are unweighted.",
    set_by: |who, day| format!("Targets set by {who} on {day}."),
    weighted: |n, n_eff, smallest, largest| {
        format!(
            "The figures are weighted: {n} respondents, effective sample size n_eff = \
             {n_eff:.1}; smallest weight {smallest:.2}, largest {largest:.2}."
        )
    },
    not_converged: |rounds| {
        format!(
            "Weighting failed: after {rounds} rounds the shares still miss their targets. The \
             report shows unweighted figures."
        )
    },
    empty_target: |q, o| {
        format!(
            "Weighting failed: nobody in this report chose “{o}” for “{q}”, so its target \
             cannot be met. The report shows unweighted figures."
        )
    },
    untargeted: |q, o| {
        format!(
            "Weighting failed: some respondents chose “{o}” for “{q}”, which has no target. \
             The report shows unweighted figures."
        )
    },
    too_few: "Not weighted: this report has fewer than 30 respondents.",
    unanswered: |q, n| format!("{n} respondents did not answer “{q}” (they keep their weight)."),
    show_unweighted: "Show unweighted figures",
    show_weighted: "Show weighted figures",
    badge_weighted: "Weighted",
    badge_unweighted: "Unweighted",
    n_eff: "effective n",
    use_question: "Weight by this question",
    target_label: |o| format!("Target share of “{o}” (%)"),
    sum_hint: "A question's shares must add up to 100%.",
    save: "Save targets",
    remove: "Remove weighting",
    saved: "Targets saved.",
    removed: "Weighting removed.",
    none_chosen: "Choose at least one question to weight by, or press “Remove weighting”.",
    too_many: |n| format!("{n} questions chosen; you can weight by at most 3."),
    not_a_segment: |q| format!("“{q}” is not a segment question."),
    unknown_option: |q, o| format!("“{q}” has no option “{o}”."),
    missing_option: |q, o| format!("Enter a share for “{o}” of “{q}” (0 if there are none)."),
    out_of_range: |q, o| format!("The share of “{o}” of “{q}” must be between 0 and 100."),
    not_a_number: |q, o| format!("The share of “{o}” of “{q}” must be a number (e.g. 30 or 33.5)."),
    sum_not_100: |q, sum| format!("The shares of “{q}” add up to {sum:.2}%, not 100%."),
};
