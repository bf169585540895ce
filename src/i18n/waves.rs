//! Strings of the wave comparison ("did it change?") in Vietnamese and English. Labels
//! the report already has (dates, bond classes, p values…) come from `StaffUi`.

use crate::domain::Locale;

pub struct WavesUi {
    /// The link from the report page.
    pub compare_link: &'static str,
    pub title: fn(&str) -> String,
    pub lead: &'static str,
    pub first_wave: &'static str,
    pub second_wave: &'static str,
    pub any_version: &'static str,
    pub compare: &'static str,
    pub back_to_report: &'static str,
    pub not_chosen: &'static str,
    /// A wave (1 or 2) ends before it starts.
    pub reversed: fn(u8) -> String,
    pub overlap: &'static str,
    /// (changes whose interval excludes 0, changes tested).
    pub sentence: fn(usize, usize) -> String,
    pub threshold_note: fn(f64) -> String,
    pub wave_responses: fn(&str, u64) -> String,
    pub figure: &'static str,
    pub change: &'static str,
    pub verdict: &'static str,
    pub up: &'static str,
    pub down: &'static str,
    pub no_change: &'static str,
    pub no_events: &'static str,
    pub too_few: &'static str,
    pub perceives: fn(&str) -> String,
    pub shares: fn(&str) -> String,
    pub units_note: &'static str,
    pub chart_label: &'static str,
    pub changes_title: &'static str,
    pub include_flagged: &'static str,
}

pub fn waves_ui(locale: Locale) -> &'static WavesUi {
    match locale {
        Locale::Vi => &VI,
        Locale::En => &EN,
    }
}

static VI: WavesUi = WavesUi {
    compare_link: "So sánh hai đợt",
    title: |survey| format!("So sánh hai đợt — {survey}"),
    lead: "Chọn hai khoảng thời gian hoặc hai phiên bản: mỗi chỉ số được so sánh giữa đợt \
           đầu và đợt sau, với khoảng tin cậy 95% của mức thay đổi. Một người trả lời không \
           được nằm trong cả hai đợt.",
    first_wave: "Đợt đầu",
    second_wave: "Đợt sau",
    any_version: "Mọi phiên bản",
    compare: "So sánh",
    back_to_report: "Quay lại báo cáo",
    not_chosen: "Chọn hai khoảng thời gian (hoặc hai phiên bản) rồi bấm “So sánh”. \
                 Gợi ý sẵn: tháng trước so với tháng này.",
    reversed: |wave| {
        let which = if wave == 1 {
            "Đợt đầu"
        } else {
            "Đợt sau"
        };
        format!("{which} có ngày kết thúc trước ngày bắt đầu.")
    },
    overlap: "Hai đợt chồng lên nhau: một người trả lời có thể nằm trong cả hai. Hãy chọn hai \
              khoảng thời gian không giao nhau, hoặc hai phiên bản khác nhau.",
    sentence: |detectable, tested| match (detectable, tested) {
        (_, 0) => "Không chỉ số nào có từ 30 câu trả lời trở lên ở cả hai đợt: chưa có gì để \
                   so sánh."
            .to_string(),
        (0, n) => format!("Không có thay đổi nào phát hiện được trong {n} chỉ số được so sánh."),
        (d, n) => format!(
            "{d} trong {n} chỉ số thay đổi rõ rệt (khoảng tin cậy 95% của mức thay đổi \
             không chứa 0)."
        ),
    },
    threshold_note: |t| format!("Cả hai đợt được phân loại theo ngưỡng t = {t:.1} (của đợt sau)."),
    wave_responses: |wave, n| format!("{wave}: {n} câu trả lời hoàn chỉnh"),
    figure: "Chỉ số",
    change: "Thay đổi [KTC 95%]",
    verdict: "Kết luận",
    up: "tăng",
    down: "giảm",
    no_change: "không có thay đổi phát hiện được",
    no_events: "không ai có ở cả hai đợt",
    too_few: "quá ít câu trả lời để so sánh",
    perceives: |value| format!("Nhận thấy “{value}”"),
    shares: |value| format!("Chia sẻ “{value}”"),
    units_note: "Thay đổi của tỷ lệ tính bằng điểm phần trăm; của NPS bằng điểm NPS. p (Holm) \
                 đã hiệu chỉnh cho mọi chỉ số được so sánh.",
    chart_label: "Mỗi tỷ lệ ở đợt đầu và đợt sau, với khoảng tin cậy 95%",
    changes_title: "Thay đổi từ đợt đầu sang đợt sau",
    include_flagged: "Tính cả câu trả lời bị đánh dấu (quá nhanh, một đáp án, do máy gửi)",
};

static EN: WavesUi = WavesUi {
    compare_link: "Compare two periods",
    title: |survey| format!("Compare two waves — {survey}"),
    lead: "Pick two periods or two versions: every figure is compared between the first and \
           the second wave, with the 95% interval of its change. No respondent may be in both \
           waves.",
    first_wave: "First wave",
    second_wave: "Second wave",
    any_version: "All versions",
    compare: "Compare",
    back_to_report: "Back to the report",
    not_chosen: "Choose two periods (or two versions), then press “Compare”. Suggested: last \
                 month against this month.",
    reversed: |wave| {
        let which = if wave == 1 {
            "The first wave"
        } else {
            "The second wave"
        };
        format!("{which} ends before it starts.")
    },
    overlap: "The two waves overlap: a respondent could be in both. Choose periods that do not \
              overlap, or two different versions.",
    sentence: |detectable, tested| match (detectable, tested) {
        (_, 0) => {
            "No figure has 30 or more responses in both waves: nothing to compare yet.".to_string()
        }
        (0, n) => format!("No detectable change in the {n} figures compared."),
        (d, n) => format!(
            "{d} of {n} figures changed detectably (the 95% interval of the change excludes 0)."
        ),
    },
    threshold_note: |t| format!("Both waves are classified at t = {t:.1} (the second wave's)."),
    wave_responses: |wave, n| format!("{wave}: {n} complete responses"),
    figure: "Figure",
    change: "Change [95% CI]",
    verdict: "Verdict",
    up: "up",
    down: "down",
    no_change: "no detectable change",
    no_events: "no one in either wave",
    too_few: "too few responses to compare",
    perceives: |value| format!("Perceives “{value}”"),
    shares: |value| format!("Shares “{value}”"),
    units_note: "Changes of shares are in percentage points, of NPS in NPS points. p (Holm) is \
                 adjusted over every figure compared.",
    chart_label: "Each share in the first and the second wave, with 95% intervals",
    changes_title: "Change from the first wave to the second",
    include_flagged: "Count flagged responses too (speeders, straight-liners, bots)",
};
