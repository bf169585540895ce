//! Strings of the staff side (sign-in, reports) in Vietnamese and English. Sentences that
//! state figures are functions of the figures, so nothing a report says is hard-coded.

use crate::domain::flow::BlockOrder;
use crate::domain::report::Measure;
use crate::domain::scoring::{BondClass, ContactFit};
use crate::domain::Locale;

pub struct StaffUi {
    pub login_title: &'static str,
    pub login_lead: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub login_failed: &'static str,
    pub signed_in_as: fn(&str, &str) -> String,
    pub role_admin: &'static str,
    pub role_manager: &'static str,

    pub reports_title: &'static str,
    pub users_title: &'static str,
    pub role: &'static str,
    pub brands: &'static str,
    pub status: &'static str,
    pub all_brands: &'static str,
    pub user_active: &'static str,
    pub user_inactive: &'static str,
    pub deactivate: &'static str,
    pub reactivate: &'static str,
    pub new_user: &'static str,
    pub new_user_lead: &'static str,
    pub brands_hint: &'static str,
    pub change_brands: &'static str,
    pub save_brands: &'static str,
    pub create_user: &'static str,
    pub user_created_title: &'static str,
    pub user_created_body: fn(&str) -> String,
    pub user_needs_brand: &'static str,
    pub user_bad_email: &'static str,
    pub user_exists: &'static str,
    pub user_not_self: &'static str,
    pub reports_empty: &'static str,
    pub completed_responses: fn(i64) -> String,
    pub status_names: fn(&str) -> &'static str,

    pub report_title: fn(&str) -> String,
    pub filters: &'static str,
    pub version: &'static str,
    pub all_versions: &'static str,
    pub version_label: fn(i64, i64) -> String,
    pub from: &'static str,
    pub to: &'static str,
    pub compare_segment: &'static str,
    pub only_group: &'static str,
    pub none: &'static str,
    pub everyone: &'static str,
    pub period: &'static str,
    pub by_week: &'static str,
    pub by_month: &'static str,
    pub apply: &'static str,
    pub download_json: &'static str,
    pub download_csv: &'static str,
    pub download_excel: &'static str,
    pub print: &'static str,
    pub filter_problem: &'static str,
    pub share_title: &'static str,
    pub share_lead: &'static str,
    pub share_expires: &'static str,
    pub share_create: &'static str,
    pub share_created_title: &'static str,
    pub share_created_body: fn(&str) -> String,
    pub share_back: &'static str,
    pub shared_notice: fn(&str) -> String,
    pub share_bad_date: &'static str,
    pub share_live_title: &'static str,
    pub share_none: &'static str,
    pub share_all_responses: &'static str,
    pub share_col_by: &'static str,
    pub share_col_filters: &'static str,
    pub share_col_created: &'static str,
    pub share_col_expires: &'static str,
    pub share_revoke: &'static str,
    pub share_revoke_label: fn(&str, &str) -> String,
    pub share_revoked: &'static str,

    pub too_few: fn(u64) -> String,
    pub low_base: &'static str,
    pub base: fn(u64) -> String,
    pub missing: fn(u64) -> String,
    pub share: &'static str,
    pub interval: &'static str,
    pub table_n: &'static str,
    pub no_responses: &'static str,

    pub sec_headline: &'static str,
    pub headline_sentence: fn(&Sentence) -> String,
    pub values_bonded: &'static str,
    pub contact_bonded: &'static str,
    pub class_name: fn(BondClass) -> &'static str,
    pub values_led: &'static str,
    pub contact_led: &'static str,
    pub tied: &'static str,
    pub among_bonded: &'static str,
    pub paired_test: fn(f64, f64, f64, f64, bool) -> String,
    pub sensitivity: fn(f64) -> String,
    pub insufficient: fn(u64) -> String,

    pub sec_ceb: &'static str,
    pub ceb_sentence: fn(Option<f64>, Option<f64>, Option<f64>) -> String,
    pub relationship_yes: &'static str,
    pub reason_name: fn(&str) -> &'static str,
    pub benchmark: &'static str,
    pub this_survey: &'static str,
    pub vs_benchmark: fn(f64, f64) -> String,

    pub sec_values: &'static str,
    /// (which values customers perceive most, placebo perception rate).
    pub values_sentence: fn(TopValue<'_>, Option<f64>) -> String,
    pub value: &'static str,
    pub weight: &'static str,
    pub declared_rank: &'static str,
    pub perceived_rank: &'static str,
    pub mean_importance: &'static str,
    pub mean_perception: &'static str,
    pub perceived_rate: &'static str,
    pub net_perception: &'static str,
    pub shared_rate: &'static str,
    pub placebo_tag: &'static str,
    pub say_do_gap: &'static str,

    pub sec_alignment: &'static str,
    pub alignment_sentence: fn(Option<f64>, Option<(f64, f64)>) -> String,
    pub alignment_bin: &'static str,
    pub respondents: &'static str,

    pub sec_contact: &'static str,
    pub contact_sentence: fn(Option<f64>, Option<(f64, f64)>) -> String,
    pub fit_name: fn(ContactFit) -> &'static str,
    pub bond_class: &'static str,
    pub contact_level: &'static str,
    pub trend_test: fn(&str, f64, f64) -> String,
    pub fit_independence: fn(f64, u32, f64) -> String,
    pub yearly_contacts: &'static str,
    pub frequency_levels: [&'static str; 7],

    pub sec_outcomes: &'static str,
    pub outcomes_sentence: fn(Option<f64>, Option<f64>) -> String,
    pub all_respondents: &'static str,
    pub nps: &'static str,
    pub advocacy: &'static str,
    pub voice: &'static str,
    pub story_recall: &'static str,

    pub sec_segments: &'static str,
    pub segments_hint: &'static str,
    pub segments_sentence: fn(usize, usize) -> String,
    pub group: &'static str,
    pub measure_name: fn(Measure) -> &'static str,
    pub difference: &'static str,
    pub p_value: &'static str,
    pub p_holm: &'static str,
    pub fisher_note: &'static str,
    /// A measure nobody in any group has: nothing to test.
    pub no_events: fn(&str) -> String,

    pub sec_trends: &'static str,
    pub trends_sentence: fn(usize) -> String,
    pub period_start: &'static str,

    pub sec_reliability: &'static str,
    pub alpha_line: fn(&str, Option<f64>, usize, u64) -> String,
    pub alpha_weak: &'static str,
    /// The response CSV of fewer than 30 respondents is not exported.
    pub export_too_few: fn(u64) -> String,
    /// Column headers of missing answers.
    pub missing_importance_perception: &'static str,
    pub missing_outcomes: &'static str,
    pub missing_scores: &'static str,
    /// The headline by the order of the bond blocks.
    pub by_block_order: &'static str,
    pub block_order: &'static str,
    pub block_order_name: fn(BlockOrder) -> &'static str,
    pub order_difference: &'static str,
    pub order_effect_flagged: &'static str,
    pub order_effect_none: &'static str,
    /// Complete respondents of versions with other bond items, left out of α.
    pub alpha_other_items: fn(u64) -> String,
    /// (scales reliable, scales weak) of the two bond scales.
    pub reliability_sentence: fn(usize, usize) -> String,

    pub sec_responses: &'static str,
    pub responses_sentence: fn(u64, u64) -> String,
    pub stopped_on_page: fn(usize) -> String,
}

/// Which values customers perceive most.
pub enum TopValue<'a> {
    /// One value is perceived significantly more often than every other: its label and
    /// its net perception (or perceived rate) in points.
    One(&'a str, f64),
    /// This many values share the first perceived rank: the data do not tell them apart.
    Tied(usize),
    /// Too few answers to rank.
    Unknown,
}

/// What the headline sentence says, as numbers (percentages 0–100).
pub struct Sentence {
    pub values: f64,
    pub values_ci: (f64, f64),
    pub contact: f64,
    pub contact_ci: (f64, f64),
    pub significant: bool,
}

pub fn staff_ui(locale: Locale) -> &'static StaffUi {
    match locale {
        Locale::Vi => &VI,
        Locale::En => &EN,
    }
}

fn pct(x: f64) -> String {
    format!("{x:.0}%")
}

fn range((lo, hi): (f64, f64)) -> String {
    format!("[{lo:.0}–{hi:.0}%]")
}

/// p values as people read them: "< 0.001" rather than 1.2e-15.
pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".into()
    } else {
        format!("{p:.3}")
    }
}

static VI: StaffUi = StaffUi {
    login_title: "Đăng nhập",
    login_lead: "Dành cho quản trị viên và quản lý thương hiệu của ValueBond.",
    email: "Email",
    password: "Mật khẩu",
    sign_in: "Đăng nhập",
    sign_out: "Đăng xuất",
    login_failed: "Sai email hoặc mật khẩu.",
    signed_in_as: |email, role| format!("{email} ({role})"),
    role_admin: "quản trị viên",
    role_manager: "quản lý thương hiệu",

    reports_title: "Báo cáo",
    users_title: "Người dùng",
    role: "Vai trò",
    brands: "Thương hiệu",
    status: "Trạng thái",
    all_brands: "Tất cả",
    user_active: "Đang hoạt động",
    user_inactive: "Đã khóa",
    deactivate: "Khóa",
    reactivate: "Mở khóa",
    new_user: "Thêm người dùng",
    new_user_lead: "Mật khẩu đầu tiên được tạo ngẫu nhiên và chỉ hiện một lần; hãy gửi cho người dùng qua kênh an toàn.",
    brands_hint: "Quản lý thương hiệu chỉ xem được báo cáo của các thương hiệu được chọn.",
    change_brands: "Đổi thương hiệu",
    save_brands: "Lưu thương hiệu",
    create_user: "Tạo người dùng",
    user_created_title: "Đã tạo người dùng",
    user_created_body: |e| format!("Mật khẩu đầu tiên của {e} (chỉ hiện lần này):"),
    user_needs_brand: "Hãy chọn ít nhất một thương hiệu cho quản lý thương hiệu.",
    user_bad_email: "Địa chỉ email chưa hợp lệ.",
    user_exists: "Đã có người dùng với email này.",
    user_not_self: "Bạn không thể tự khóa tài khoản của mình.",
    reports_empty: "Chưa có khảo sát nào bạn được xem. Hãy nhờ quản trị viên gán thương hiệu cho bạn.",
    completed_responses: |n| format!("{n} phản hồi hoàn chỉnh"),
    status_names: |s| match s {
        "open" => "đang mở",
        "closed" => "đã đóng",
        "draft" => "bản nháp",
        _ => "lưu trữ",
    },

    report_title: |slug| format!("Báo cáo: {slug}"),
    filters: "Bộ lọc",
    version: "Phiên bản",
    all_versions: "Không chọn = tất cả phiên bản",
    version_label: |v, n| format!("Phiên bản {v} ({n} phản hồi)"),
    from: "Từ ngày",
    to: "Đến ngày",
    compare_segment: "So sánh theo nhóm",
    only_group: "Chỉ xem nhóm",
    none: "Không",
    everyone: "Tất cả người trả lời",
    period: "Xu hướng theo",
    by_week: "Tuần",
    by_month: "Tháng",
    apply: "Áp dụng",
    download_json: "Tải báo cáo (JSON)",
    download_csv: "Tải phản hồi (CSV)",
    download_excel: "CSV cho Excel (UTF-8 BOM)",
    print: "In / Lưu PDF",
    filter_problem: "Một số bộ lọc không hợp lệ và đã bị bỏ qua.",
    share_title: "Chia sẻ báo cáo chỉ đọc",
    share_lead: "Tạo đường dẫn để người không có tài khoản xem báo cáo này với bộ lọc hiện tại.",
    share_expires: "Hết hạn vào ngày",
    share_create: "Tạo đường dẫn chia sẻ",
    share_created_title: "Đã tạo đường dẫn chia sẻ",
    share_created_body: |d| format!("Bất kỳ ai có đường dẫn này đều xem được báo cáo (chỉ đọc) đến hết ngày {d}. Đường dẫn chỉ hiện một lần: hãy sao chép ngay."),
    share_back: "Quay lại báo cáo",
    shared_notice: |d| format!("Báo cáo chỉ đọc được chia sẻ, có hiệu lực đến hết ngày {d}."),
    share_bad_date: "Ngày hết hạn phải sau hôm nay và trong vòng 365 ngày tới (dạng NNNN-TT-NN).",
    share_live_title: "Đường dẫn chia sẻ đang hoạt động",
    share_none: "Chưa có đường dẫn chia sẻ nào đang hoạt động cho khảo sát này.",
    share_all_responses: "Tất cả phản hồi",
    share_col_by: "Người tạo",
    share_col_filters: "Bộ lọc",
    share_col_created: "Ngày tạo",
    share_col_expires: "Hết hạn sau ngày",
    share_revoke: "Thu hồi",
    share_revoke_label: |by, day| format!("Thu hồi đường dẫn do {by} tạo ngày {day}"),
    share_revoked: "Đã thu hồi đường dẫn: từ giờ nó không còn mở được báo cáo.",

    too_few: |n| format!("Quá ít phản hồi để hiển thị (n = {n}, cần ít nhất 30)."),
    low_base: "ít mẫu",
    base: |n| format!("n = {n}"),
    missing: |n| format!("{n} không trả lời / không biết"),
    share: "Tỷ lệ",
    interval: "Khoảng tin cậy 95%",
    table_n: "n",
    no_responses: "Chưa có phản hồi hoàn chỉnh nào cho lựa chọn này. Báo cáo sẽ xuất hiện khi có người hoàn thành khảo sát.",

    sec_headline: "Gắn kết qua giá trị hay qua liên lạc?",
    headline_sentence: |s| format!(
        "{} {} người trả lời được chấm điểm có chung giá trị với thương hiệu; {} {} gắn kết qua việc được liên lạc thường xuyên; {}.",
        pct(s.values), range(s.values_ci), pct(s.contact), range(s.contact_ci),
        if s.significant { "khác biệt có ý nghĩa thống kê" } else { "khác biệt không có ý nghĩa thống kê" }
    ),
    values_bonded: "Gắn kết qua giá trị (V ≥ t)",
    contact_bonded: "Gắn kết qua liên lạc (C ≥ t)",
    class_name: |c| match c {
        BondClass::ValuesOnly => "Chỉ giá trị",
        BondClass::ContactOnly => "Chỉ liên lạc",
        BondClass::Both => "Cả hai",
        BondClass::Neither => "Không gắn kết",
        BondClass::Insufficient => "Không đủ dữ liệu",
    },
    values_led: "Giá trị dẫn dắt (V > C)",
    contact_led: "Liên lạc dẫn dắt (C > V)",
    tied: "Ngang nhau",
    among_bonded: "Trong số người có gắn kết",
    paired_test: |d, lo, hi, p, exact| format!(
        "Chênh lệch (giá trị − liên lạc): {:+.1} điểm % [{:.1}; {:.1}], {} p = {}.",
        100.0 * d, 100.0 * lo, 100.0 * hi, if exact { "kiểm định nhị thức chính xác," } else { "McNemar χ²," }, p_text(p)
    ),
    sensitivity: |t| format!("Ngưỡng t = {t:.1}"),
    insufficient: |n| format!("{n} người trả lời không đủ câu để tính V hoặc C (không tính vào mẫu số)."),

    sec_ceb: "So với nghiên cứu CEB (HBR 2012)",
    ceb_sentence: |rel, sv, fc| match rel {
        Some(r) => format!(
            "{} khách hàng nói họ có mối quan hệ với thương hiệu (CEB: 23%){}.",
            pct(r),
            match (sv, fc) {
                (Some(s), Some(f)) => format!("; trong số đó {} nêu lý do là giá trị chung (CEB: 64%) và {} là liên lạc thường xuyên (CEB: 13%)", pct(s), pct(f)),
                _ => String::new(),
            }
        ),
        None => "Chưa đủ câu trả lời để so sánh với CEB.".into(),
    },
    relationship_yes: "Có mối quan hệ với thương hiệu",
    reason_name: |r| match r {
        "shared_values" => "Giá trị chung",
        "frequent_contact" => "Liên lạc thường xuyên",
        "rewards" => "Ưu đãi, điểm thưởng",
        "habit_convenience" => "Thói quen, tiện lợi",
        _ => "Lý do khác",
    },
    benchmark: "CEB",
    this_survey: "Khảo sát này",
    vs_benchmark: |z, p| format!("z = {z:.2}, p = {}", p_text(p)),

    sec_values: "Giá trị tuyên bố và giá trị được cảm nhận",
    values_sentence: |top, placebo| {
        let first = match top {
            TopValue::One(v, net) => format!("Giá trị được khách hàng cảm nhận rõ nhất là “{v}” ({net:+.0} điểm % sau khi trừ mức đoán mò)"),
            TopValue::Tied(n) => format!("{n} giá trị cùng đứng đầu về mức được cảm nhận: dữ liệu không cho thấy giá trị nào được cảm nhận rõ hơn hẳn"),
            TopValue::Unknown => "Chưa đủ câu trả lời để xếp hạng giá trị".into(),
        };
        match placebo {
            Some(p) => format!("{first}. Giá trị “giả” mà thương hiệu chưa từng tuyên bố vẫn được {} “nhận ra”: đó là mức đoán mò.", pct(p)),
            None => format!("{first}."),
        }
    },
    value: "Giá trị",
    weight: "Trọng số",
    declared_rank: "Hạng tuyên bố",
    perceived_rank: "Hạng cảm nhận",
    mean_importance: "Tầm quan trọng (TB)",
    mean_perception: "Cảm nhận (TB)",
    perceived_rate: "Tỷ lệ cảm nhận (≥ 5)",
    net_perception: "Cảm nhận ròng",
    shared_rate: "Tỷ lệ chia sẻ giá trị",
    placebo_tag: "giả (đối chứng)",
    say_do_gap: "Khoảng cách nói – làm: một giá trị thương hiệu đặt cao hơn lại được khách hàng nhận thấy ít hơn hẳn một giá trị đặt thấp hơn (khác biệt có ý nghĩa, so sánh theo cặp, hiệu chỉnh Holm). Các giá trị cùng hạng cảm nhận không khác nhau rõ rệt.",

    sec_alignment: "Chỉ số đồng điệu giá trị",
    alignment_sentence: |m, ci| match (m, ci) {
        (Some(m), Some((lo, hi))) => format!("Chỉ số đồng điệu trung bình là {m:.2} [{lo:.2}–{hi:.2}] trên thang 0–1."),
        _ => "Chưa đủ câu trả lời để tính chỉ số đồng điệu.".into(),
    },
    alignment_bin: "Khoảng chỉ số",
    respondents: "Người trả lời",

    sec_contact: "Liên lạc: nhiều hơn có gắn kết hơn không?",
    contact_sentence: |over, trend| {
        let first = match over {
            Some(o) => format!("{} khách hàng được liên lạc nhiều hơn họ muốn", pct(o)),
            None => "Chưa đủ câu trả lời về tần suất liên lạc".into(),
        };
        match trend {
            Some((z, p)) if p < 0.05 && z > 0.0 => format!("{first}; tỷ lệ gắn kết qua giá trị tăng theo mức liên lạc (p = {})." , p_text(p)),
            Some((z, p)) if p < 0.05 && z < 0.0 => format!("{first}; tỷ lệ gắn kết qua giá trị giảm khi liên lạc nhiều hơn (p = {}).", p_text(p)),
            Some((_, p)) => format!("{first}; liên lạc nhiều hơn không đi kèm gắn kết qua giá trị nhiều hơn (p = {}).", p_text(p)),
            None => format!("{first}."),
        }
    },
    fit_name: |f| match f {
        ContactFit::Over => "Liên lạc quá nhiều",
        ContactFit::Matched => "Vừa đủ",
        ContactFit::Under => "Liên lạc quá ít",
    },
    bond_class: "Nhóm gắn kết",
    contact_level: "Mức liên lạc thực tế",
    trend_test: |what, z, p| format!("Xu hướng {what} (Cochran–Armitage): z = {z:.2}, p = {}", p_text(p)),
    fit_independence: |chi2, dof, p| format!("Nhóm gắn kết × mức liên lạc: χ² = {chi2:.1}, bậc tự do {dof}, p = {}", p_text(p)),
    yearly_contacts: "Số lần liên lạc ước tính mỗi năm",
    frequency_levels: ["Không bao giờ", "Dưới 1 lần/tháng", "Hằng tháng", "2–3 lần/tháng", "Hằng tuần", "2–6 lần/tuần", "Hằng ngày"],

    sec_outcomes: "Kết quả theo nhóm gắn kết",
    outcomes_sentence: |values_only, contact_only| match (values_only, contact_only) {
        (Some(v), Some(c)) => format!("NPS của nhóm chỉ gắn kết qua giá trị là {v:.0}, của nhóm chỉ gắn kết qua liên lạc là {c:.0}."),
        _ => "Các nhóm quá nhỏ để so sánh NPS.".into(),
    },
    all_respondents: "Tất cả",
    nps: "NPS",
    advocacy: "Đã giới thiệu (12 tháng)",
    voice: "Được lắng nghe (TB)",
    story_recall: "Nhớ thương hiệu đại diện cho điều gì",

    sec_segments: "Theo nhóm khách hàng",
    segments_hint: "Chọn một câu hỏi phân nhóm ở bộ lọc “So sánh theo nhóm” để so sánh các nhóm.",
    segments_sentence: |significant, total| format!("{significant} trên {total} so sánh có khác biệt ý nghĩa sau khi hiệu chỉnh Holm."),
    group: "Nhóm",
    measure_name: |m| match m {
        Measure::ValuesBonded => "Gắn kết qua giá trị",
        Measure::ContactBonded => "Gắn kết qua liên lạc",
    },
    difference: "Chênh lệch so với phần còn lại",
    p_value: "p",
    p_holm: "p (Holm)",
    fisher_note: "* kiểm định chính xác Fisher (số kỳ vọng < 5)",
    no_events: |measure| format!("{measure}: không ai trong nhóm nào có — không có gì để kiểm định."),

    sec_trends: "Xu hướng",
    trends_sentence: |n| format!("Tỷ lệ gắn kết theo {n} kỳ hoàn thành khảo sát."),
    period_start: "Bắt đầu kỳ",

    sec_reliability: "Độ tin cậy thang đo",
    alpha_line: |scale, alpha, items, n| match alpha {
        Some(a) => format!("{scale}: Cronbach α = {a:.2} ({items} câu, {n} người trả lời đủ)"),
        None => format!("{scale}: chưa tính được α ({items} câu, {n} người trả lời đủ)"),
    },
    alpha_weak: "α dưới 0,70: các câu hỏi của thang đo này chưa đo cùng một điều; hãy xem lại cách đặt câu.",
    missing_importance_perception: "Thiếu (quan trọng / cảm nhận)",
    missing_outcomes: "Thiếu (NPS / giới thiệu / lắng nghe / câu chuyện)",
    missing_scores: "Thiếu điểm V hoặc C",
    by_block_order: "Theo thứ tự hai khối câu hỏi (mỗi người trả lời được chọn ngẫu nhiên một thứ tự)",
    block_order: "Thứ tự",
    block_order_name: |o| match o {
        BlockOrder::ValuesFirst => "Giá trị trước, liên lạc sau",
        BlockOrder::ContactFirst => "Liên lạc trước, giá trị sau",
    },
    order_difference: "Chênh lệch (giá trị trước − liên lạc trước, điểm %)",
    order_effect_flagged: "Có hiệu ứng thứ tự (p < 0,05): thứ tự câu hỏi làm thay đổi tỷ lệ gắn kết, nên con số tiêu đề phụ thuộc một phần vào bảng hỏi. Hãy đọc tiêu đề cùng với bảng này.",
    order_effect_none: "Không thấy hiệu ứng thứ tự (p ≥ 0,05): thứ tự hai khối câu hỏi không làm thay đổi rõ rệt tỷ lệ gắn kết.",
    export_too_few: |n| format!("Chỉ có {n} câu trả lời khớp với bộ lọc này. Cần ít nhất 30 câu trả lời mới xuất được, để không ai trong một nhóm nhỏ bị nhận ra. Hãy nới rộng bộ lọc."),
    alpha_other_items: |n| format!("Không tính {n} người trả lời phiên bản có bộ câu hỏi gắn kết khác (α tính riêng cho từng bộ câu hỏi)."),
    reliability_sentence: |ok, weak| match (ok, weak) {
        (2, _) => "Cả hai thang đo gắn kết đều đáng tin cậy (α ≥ 0,70): có thể dựa vào điểm V và C.".into(),
        (_, 0) => "Chưa đủ câu trả lời đầy đủ để đánh giá độ tin cậy của mọi thang đo.".into(),
        (_, n) => format!("{n} thang đo có α dưới 0,70: hãy thận trọng với các con số dựa trên thang đo đó."),
    },

    sec_responses: "Phản hồi",
    responses_sentence: |started, completed| format!("{started} người bắt đầu, {completed} người hoàn thành."),
    stopped_on_page: |p| format!("Dừng ở trang {p}"),
};

static EN: StaffUi = StaffUi {
    login_title: "Sign in",
    login_lead: "For ValueBond admins and brand managers.",
    email: "Email",
    password: "Password",
    sign_in: "Sign in",
    sign_out: "Sign out",
    login_failed: "Wrong email or password.",
    signed_in_as: |email, role| format!("{email} ({role})"),
    role_admin: "admin",
    role_manager: "brand manager",

    reports_title: "Reports",
    users_title: "Users",
    role: "Role",
    brands: "Brands",
    status: "Status",
    all_brands: "All",
    user_active: "Active",
    user_inactive: "Deactivated",
    deactivate: "Deactivate",
    reactivate: "Reactivate",
    new_user: "Add a user",
    new_user_lead: "The first password is random and shown only once; pass it on through a safe channel.",
    brands_hint: "A brand manager reads the reports of the chosen brands only.",
    change_brands: "Change brands",
    save_brands: "Save brands",
    create_user: "Create user",
    user_created_title: "User created",
    user_created_body: |e| format!("First password of {e} (shown only now):"),
    user_needs_brand: "Choose at least one brand for a brand manager.",
    user_bad_email: "That is not a valid e-mail address.",
    user_exists: "A user with this e-mail address already exists.",
    user_not_self: "You cannot deactivate your own account.",
    reports_empty: "There are no surveys you may read yet. Ask an admin to assign you a brand.",
    completed_responses: |n| format!("{n} complete responses"),
    status_names: |s| match s {
        "open" => "open",
        "closed" => "closed",
        "draft" => "draft",
        _ => "archived",
    },

    report_title: |slug| format!("Report: {slug}"),
    filters: "Filters",
    version: "Version",
    all_versions: "None ticked = every version",
    version_label: |v, n| format!("Version {v} ({n} responses)"),
    from: "From",
    to: "To",
    compare_segment: "Compare by segment",
    only_group: "Only group",
    none: "None",
    everyone: "All respondents",
    period: "Trend by",
    by_week: "Week",
    by_month: "Month",
    apply: "Apply",
    download_json: "Download report (JSON)",
    download_csv: "Download responses (CSV)",
    download_excel: "CSV for Excel (UTF-8 BOM)",
    print: "Print / Save as PDF",
    filter_problem: "Some filters were not valid and were ignored.",
    share_title: "Share a read-only report",
    share_lead: "Create a link that lets people without an account read this report with the current filters.",
    share_expires: "Expires on",
    share_create: "Create share link",
    share_created_title: "Share link created",
    share_created_body: |d| format!("Anyone with this link can read the report (read-only) until the end of {d}. The link is shown only once: copy it now."),
    share_back: "Back to the report",
    shared_notice: |d| format!("Shared read-only report, valid until the end of {d}."),
    share_bad_date: "The expiry date must be after today and within the next 365 days (YYYY-MM-DD).",
    share_live_title: "Share links that work now",
    share_none: "No share link of this survey works now.",
    share_all_responses: "All responses",
    share_col_by: "Created by",
    share_col_filters: "Filters",
    share_col_created: "Created",
    share_col_expires: "Works until the end of",
    share_revoke: "Revoke",
    share_revoke_label: |by, day| format!("Revoke the link {by} created on {day}"),
    share_revoked: "Link revoked: it no longer opens the report.",

    too_few: |n| format!("Too few responses to show (n = {n}, at least 30 needed)."),
    low_base: "low base",
    base: |n| format!("n = {n}"),
    missing: |n| format!("{n} missing or don't know"),
    share: "Share",
    interval: "95% interval",
    table_n: "n",
    no_responses: "No complete responses for this selection yet. The report appears once people finish the survey.",

    sec_headline: "Values bond or contact bond?",
    headline_sentence: |s| format!(
        "{} {} of scored respondents share the brand's values; {} {} bond through frequent contact; {}.",
        pct(s.values), range(s.values_ci), pct(s.contact), range(s.contact_ci),
        if s.significant { "the difference is significant" } else { "the difference is not significant" }
    ),
    values_bonded: "Values-bonded (V ≥ t)",
    contact_bonded: "Contact-bonded (C ≥ t)",
    class_name: |c| match c {
        BondClass::ValuesOnly => "Values only",
        BondClass::ContactOnly => "Contact only",
        BondClass::Both => "Both",
        BondClass::Neither => "Neither",
        BondClass::Insufficient => "Insufficient",
    },
    values_led: "Values-led (V > C)",
    contact_led: "Contact-led (C > V)",
    tied: "Tied",
    among_bonded: "Among bonded respondents",
    paired_test: |d, lo, hi, p, exact| format!(
        "Difference (values − contact): {:+.1} points [{:.1}; {:.1}], {} p = {}.",
        100.0 * d, 100.0 * lo, 100.0 * hi, if exact { "exact binomial test," } else { "McNemar χ²," }, p_text(p)
    ),
    sensitivity: |t| format!("Threshold t = {t:.1}"),
    insufficient: |n| format!("{n} respondents answered too few items to score V or C (not in the base)."),

    sec_ceb: "Against the CEB study (HBR 2012)",
    ceb_sentence: |rel, sv, fc| match rel {
        Some(r) => format!(
            "{} of customers say they have a relationship with the brand (CEB: 23%){}.",
            pct(r),
            match (sv, fc) {
                (Some(s), Some(f)) => format!("; of those, {} name shared values as the reason (CEB: 64%) and {} frequent contact (CEB: 13%)", pct(s), pct(f)),
                _ => String::new(),
            }
        ),
        None => "Not enough answers yet to compare with CEB.".into(),
    },
    relationship_yes: "Has a relationship with the brand",
    reason_name: |r| match r {
        "shared_values" => "Shared values",
        "frequent_contact" => "Frequent contact",
        "rewards" => "Rewards, points",
        "habit_convenience" => "Habit, convenience",
        _ => "Other reason",
    },
    benchmark: "CEB",
    this_survey: "This survey",
    vs_benchmark: |z, p| format!("z = {z:.2}, p = {}", p_text(p)),

    sec_values: "Stated versus perceived values",
    values_sentence: |top, placebo| {
        let first = match top {
            TopValue::One(v, net) => format!("The value customers perceive most is \u{201c}{v}\u{201d} ({net:+.0} points above guessing)"),
            TopValue::Tied(n) => format!("{n} values share the top perceived rank: the data do not show one perceived clearly more than the others"),
            TopValue::Unknown => "Not enough answers yet to rank the values".into(),
        };
        match placebo {
            Some(p) => format!("{first}. {} still \u{201c}recognise\u{201d} the placebo value the brand never claimed: that is the guessing baseline.", pct(p)),
            None => format!("{first}."),
        }
    },
    value: "Value",
    weight: "Weight",
    declared_rank: "Declared rank",
    perceived_rank: "Perceived rank",
    mean_importance: "Importance (mean)",
    mean_perception: "Perception (mean)",
    perceived_rate: "Perceived (≥ 5)",
    net_perception: "Net perception",
    shared_rate: "Shared-value rate",
    placebo_tag: "placebo",
    say_do_gap: "Say–do gap: a value the brand ranks higher is perceived significantly less often than one it ranks lower (paired comparisons, Holm-adjusted). Values sharing a perceived rank do not differ significantly.",

    sec_alignment: "Alignment index",
    alignment_sentence: |m, ci| match (m, ci) {
        (Some(m), Some((lo, hi))) => format!("The mean alignment index is {m:.2} [{lo:.2}–{hi:.2}] on a 0–1 scale."),
        _ => "Not enough answers yet to compute the alignment index.".into(),
    },
    alignment_bin: "Index range",
    respondents: "Respondents",

    sec_contact: "Contact: does more go with more bonding?",
    contact_sentence: |over, trend| {
        let first = match over {
            Some(o) => format!("{} of customers are contacted more often than they want", pct(o)),
            None => "Not enough answers about contact frequency yet".into(),
        };
        match trend {
            Some((z, p)) if p < 0.05 && z > 0.0 => format!("{first}; the values-bond rate rises with contact (p = {}).", p_text(p)),
            Some((z, p)) if p < 0.05 && z < 0.0 => format!("{first}; the values-bond rate falls as contact rises (p = {}).", p_text(p)),
            Some((_, p)) => format!("{first}; more contact does not go with more values bonding (p = {}).", p_text(p)),
            None => format!("{first}."),
        }
    },
    fit_name: |f| match f {
        ContactFit::Over => "Over-contacted",
        ContactFit::Matched => "Matched",
        ContactFit::Under => "Under-contacted",
    },
    bond_class: "Bond class",
    contact_level: "Actual contact",
    trend_test: |what, z, p| format!("Trend in {what} (Cochran–Armitage): z = {z:.2}, p = {}", p_text(p)),
    fit_independence: |chi2, dof, p| format!("Bond class × contact fit: χ² = {chi2:.1}, {dof} df, p = {}", p_text(p)),
    yearly_contacts: "Estimated contacts per year",
    frequency_levels: ["Never", "Less than monthly", "Monthly", "2–3 times a month", "Weekly", "2–6 times a week", "Daily"],

    sec_outcomes: "Outcomes by bond class",
    outcomes_sentence: |values_only, contact_only| match (values_only, contact_only) {
        (Some(v), Some(c)) => format!("NPS is {v:.0} among values-only bonded customers and {c:.0} among contact-only bonded ones."),
        _ => "The classes are too small to compare NPS.".into(),
    },
    all_respondents: "All",
    nps: "NPS",
    advocacy: "Recommended (12 months)",
    voice: "Feels heard (mean)",
    story_recall: "Can say what the brand stands for",

    sec_segments: "Segments",
    segments_hint: "Pick a segment question under \u{201c}Compare by segment\u{201d} to compare groups.",
    segments_sentence: |significant, total| format!("{significant} of {total} comparisons differ significantly after Holm adjustment."),
    group: "Group",
    measure_name: |m| match m {
        Measure::ValuesBonded => "Values-bonded",
        Measure::ContactBonded => "Contact-bonded",
    },
    difference: "Difference from the rest",
    p_value: "p",
    p_holm: "p (Holm)",
    fisher_note: "* Fisher's exact test (expected count < 5)",
    no_events: |measure| format!("{measure}: no events in any group — nothing to test."),

    sec_trends: "Trends",
    trends_sentence: |n| format!("Bond rates over {n} periods of completion."),
    period_start: "Period starts",

    sec_reliability: "Scale reliability",
    alpha_line: |scale, alpha, items, n| match alpha {
        Some(a) => format!("{scale}: Cronbach's α = {a:.2} ({items} items, {n} complete respondents)"),
        None => format!("{scale}: α cannot be computed yet ({items} items, {n} complete respondents)"),
    },
    alpha_weak: "α below 0.70: the items of this scale do not measure one thing yet; review their wording.",
    missing_importance_perception: "Missing (importance / perception)",
    missing_outcomes: "Missing (NPS / advocacy / voice / story)",
    missing_scores: "Without V or C",
    by_block_order: "By the order of the two bond blocks (drawn at random for each respondent)",
    block_order: "Order",
    block_order_name: |o| match o {
        BlockOrder::ValuesFirst => "Values first, then contact",
        BlockOrder::ContactFirst => "Contact first, then values",
    },
    order_difference: "Difference (values first − contact first, points)",
    order_effect_flagged: "Order effect (p < 0.05): the order of the questions changes the bond rates, so the headline depends partly on the instrument. Read it together with this table.",
    order_effect_none: "No order effect (p ≥ 0.05): the order of the two blocks does not detectably change the bond rates.",
    export_too_few: |n| format!("Only {n} responses match these filters. At least 30 are needed to export them, so that no one in a small group can be singled out. Widen the filters."),
    alpha_other_items: |n| format!("{n} respondents of versions with other bond items are left out (α is per item set)."),
    reliability_sentence: |ok, weak| match (ok, weak) {
        (2, _) => "Both bond scales are reliable (α ≥ 0.70): V and C can be relied on.".into(),
        (_, 0) => "Not enough complete answers yet to judge the reliability of every scale.".into(),
        (_, n) => format!("{n} scale(s) have α below 0.70: treat the figures built on them with care."),
    },

    sec_responses: "Responses",
    responses_sentence: |started, completed| format!("{started} started, {completed} completed."),
    stopped_on_page: |p| format!("Stopped on page {p}"),
};
