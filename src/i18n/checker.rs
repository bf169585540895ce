//! The authoring checker's findings explained to the admin: what is wrong, why it matters
//! for the report, and how to fix it, in Vietnamese and English.

use crate::domain::checker::{Finding, FindingKind, TextPart, MIN_BOND_ITEMS};
use crate::domain::survey::RELATIONSHIP_REASONS;
use crate::domain::{Construct, Locale, QuestionKind};
use crate::i18n::names;

/// What is wrong, why it matters for the report and how to fix it.
pub fn finding_message(locale: Locale, finding: &Finding) -> String {
    match locale {
        Locale::Vi => message_vi(finding),
        Locale::En => message_en(finding),
    }
}

/// "“key”" for messages, or an empty string when the finding has no question.
fn quoted(place: &Option<String>) -> String {
    place
        .as_deref()
        .map(|k| format!("“{k}”"))
        .unwrap_or_default()
}

/// A construct's name inside a sentence: "value congruence (value_congruence)".
fn construct_phrase(locale: Locale, construct: Construct) -> String {
    let name = (names(locale).construct)(construct);
    let mut chars = name.chars();
    // Lower-case the first letter, unless the name starts with an acronym ("NPS").
    let mid_sentence = match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(name.chars().skip(1)).collect()
        }
        _ => name.to_string(),
    };
    format!("{mid_sentence} ({})", construct.name())
}

fn message_vi(f: &Finding) -> String {
    use FindingKind::*;
    let q = quoted(&f.place);
    match &f.kind {
        Invalid { place, message } => format!(
            "Lỗi cấu trúc tại {place}: {message}. Cần sửa trước khi xuất bản, vì khảo sát chưa thể hiển thị hoặc tính điểm đúng."
        ),
        TooFewItems { construct, found } => too_few_items_vi(construct, found),
        ReasonWithoutRelationship => format!(
            "Câu {q} hỏi lý do chính của mối quan hệ, nhưng khảo sát không có câu hỏi về mối quan hệ (có / không / không biết). Lý do chỉ được tính trong số người trả lời “có”, nên thiếu câu này thì không tính được tỷ lệ các lý do và không so sánh được với CEB (64% giá trị chung, 13% liên lạc thường xuyên). Hãy thêm câu hỏi mối quan hệ ở một trang trước và chỉ hiện câu này khi câu trả lời là “có”."
        ),
        ReasonNotConditional => format!(
            "Câu {q} hiện với mọi người, trong khi nó mặc định người trả lời có mối quan hệ với thương hiệu. Người đã trả lời “không” hoặc “không biết” sẽ gặp một câu không dành cho họ, và câu trả lời của họ cũng không được tính. Hãy đặt show_if: relationship = yes."
        ),
        ReasonOptionsMissing { missing } => format!(
            "Câu {q} thiếu lựa chọn lý do: {}. Báo cáo so sánh tỷ lệ các lý do với CEB, nên lựa chọn bị thiếu sẽ hiện 0% và đẩy người trả lời sang lựa chọn khác. Hãy đưa đủ năm lý do: {}.",
            missing.join(", "),
            RELATIONSHIP_REASONS.join(", ")
        ),
        PerceptionWithoutImportance { value } => format!(
            "Câu {q} hỏi thương hiệu thể hiện giá trị “{value}” tốt đến đâu, nhưng không có câu hỏi giá trị đó quan trọng thế nào với khách hàng. Tỷ lệ chia sẻ giá trị và chỉ số đồng điệu cần cả hai câu cho cùng một giá trị, nên giá trị này sẽ bị loại khỏi các chỉ số đó. Hãy thêm câu value_importance cho “{value}” (hoặc bỏ câu này)."
        ),
        ImportanceWithoutPerception { value } => format!(
            "Câu {q} hỏi giá trị “{value}” quan trọng thế nào với khách hàng, nhưng không có câu hỏi thương hiệu thể hiện giá trị đó tốt đến đâu. Tỷ lệ chia sẻ giá trị và chỉ số đồng điệu cần cả hai câu cho cùng một giá trị, nên giá trị này sẽ bị loại khỏi các chỉ số đó. Hãy thêm câu value_perception cho “{value}” (hoặc bỏ câu này)."
        ),
        ValueNotAsked { value, placebo: false } => format!(
            "Giá trị tuyên bố “{value}” chưa có cặp câu hỏi tầm quan trọng / cảm nhận, nên báo cáo không cho biết khách hàng có cảm nhận và chia sẻ giá trị này không, và trọng số của nó vắng mặt trong chỉ số đồng điệu. Hãy thêm cặp câu value_importance và value_perception cho giá trị này."
        ),
        ValueNotAsked { value, placebo: true } => format!(
            "Giá trị giả (đối chứng) “{value}” chưa có cặp câu hỏi tầm quan trọng / cảm nhận, nên báo cáo không có mức đoán mò để trừ khỏi tỷ lệ cảm nhận các giá trị thật. Hãy thêm cặp câu value_importance và value_perception cho giá trị này."
        ),
        NoPlacebo => "Thương hiệu chưa có giá trị giả (đối chứng). Đó là một giá trị mà thương hiệu chưa từng tuyên bố (ví dụ “Phong cách sang trọng” với một thương hiệu đồ dã ngoại); tỷ lệ khách hàng nói rằng họ cảm nhận được nó chính là mức đoán mò. Thiếu nó, tỷ lệ cảm nhận các giá trị thật không được hiệu chỉnh và sẽ cao hơn thực tế (khoảng một nửa “nhận biết sứ mệnh” có thể chỉ là đoán). Hãy thêm một giá trị và đánh dấu là giá trị giả.".into(),
        UnmappedScale { kind } => unmapped_scale_vi(&q, kind),
        MissingText { part, locale } => missing_text_vi(&q, part, locale),
        MissingConstruct { construct } => missing_construct_vi(construct),
        RepeatedConstruct { construct, count } => format!(
            "Có {count} câu đo {}; chỉ câu đầu tiên được dùng trong điểm số và báo cáo, các câu còn lại (từ câu {q}) được lưu nhưng bị bỏ qua. Hãy giữ một câu, hoặc bỏ construct ở các câu thừa.",
            construct_phrase(Locale::Vi, *construct)
        ),
        NoReverseItem { construct } => format!(
            "Không có câu đảo chiều nào đo {}. Khi mọi câu cùng một chiều, người có thói quen đồng ý với mọi thứ sẽ được điểm cao, và tiêu đề báo cáo bị lệch theo thói quen đó chứ không theo khách hàng. Hãy thêm một câu viết theo chiều ngược lại và đánh dấu “Câu đảo chiều”, ví dụ {}.",
            construct_phrase(Locale::Vi, *construct),
            match construct {
                Construct::ContactBond => "“Tin nhắn và ưu đãi của thương hiệu không có nhiều ý nghĩa với tôi”",
                _ => "“Giá trị của thương hiệu khác xa giá trị của tôi”",
            }
        ),
        MixedItemForm { attributions, statements } => format!(
            "{attributions} câu gắn kết nêu lý do (“… vì …”, từ câu {q}) còn {statements} câu là nhận định thẳng. Câu nêu lý do khó đồng ý hơn, nên thang đo có nhiều câu như vậy bị kéo xuống và tiêu đề báo cáo nghiêng về thang đo kia. Hãy viết mọi câu gắn kết theo cùng một dạng: nhận định ngắn ở ngôi thứ nhất, mỗi câu một ý."
        ),
    }
}

fn message_en(f: &Finding) -> String {
    use FindingKind::*;
    let q = quoted(&f.place);
    match &f.kind {
        Invalid { place, message } => format!(
            "Structural problem at {place}: {message}. Fix it before publishing: the survey cannot be shown or scored correctly as it is."
        ),
        TooFewItems { construct, found } => too_few_items_en(construct, found),
        ReasonWithoutRelationship => format!(
            "{q} asks for the main reason for a relationship, but the survey has no relationship question (yes / no / don't know). Reasons are counted only among respondents who said yes, so without it the reason shares and the CEB comparison (64% shared values, 13% frequent contact) cannot be computed. Add a relationship question on an earlier page and show this one only when the answer is yes."
        ),
        ReasonNotConditional => format!(
            "{q} is shown to everyone, but it assumes the respondent has a relationship with the brand. Respondents who said no or don't know would meet a question that does not apply to them, and their answers are not counted anyway. Set show_if: relationship = yes."
        ),
        ReasonOptionsMissing { missing } => format!(
            "{q} lacks the reason option(s) {}. The report compares reason shares with the CEB benchmarks, so a missing option reads as 0% and pushes respondents to other options. Offer all five reasons: {}.",
            missing.join(", "),
            RELATIONSHIP_REASONS.join(", ")
        ),
        PerceptionWithoutImportance { value } => format!(
            "{q} asks how well the brand lives up to the value “{value}”, but no question asks how important that value is to the customer. Shared-value rates and the alignment index need both ratings of the same value, so this value would drop out of them. Add a value_importance question for “{value}” (or remove this one)."
        ),
        ImportanceWithoutPerception { value } => format!(
            "{q} asks how important the value “{value}” is to the customer, but no question asks how well the brand lives up to it. Shared-value rates and the alignment index need both ratings of the same value, so this value would drop out of them. Add a value_perception question for “{value}” (or remove this one)."
        ),
        ValueNotAsked { value, placebo: false } => format!(
            "The stated value “{value}” has no importance / perception questions, so the report cannot show whether customers perceive or share it, and its weight is missing from the alignment index. Add a value_importance and a value_perception question for it."
        ),
        ValueNotAsked { value, placebo: true } => format!(
            "The placebo value “{value}” has no importance / perception questions, so the report has no guessing baseline to subtract from the perception rates of the real values. Add a value_importance and a value_perception question for it."
        ),
        NoPlacebo => "The brand has no placebo value. A placebo is a value the brand never claimed (for an outdoor-gear brand, say “Luxury style”); the share of customers who still say they perceive it is the guessing baseline. Without it, perception rates of the real values cannot be corrected for guessing and will overstate how well the brand's purpose comes across (about half of “purpose awareness” can be guessing). Add one value and mark it as placebo.".into(),
        UnmappedScale { kind } => unmapped_scale_en(&q, kind),
        MissingText { part, locale } => missing_text_en(&q, part, locale),
        MissingConstruct { construct } => missing_construct_en(construct),
        RepeatedConstruct { construct, count } => format!(
            "{count} questions measure {}; only the first is used in scores and reports, so the others (from {q} on) are stored but ignored. Keep one, or remove the construct from the extra ones.",
            construct_phrase(Locale::En, *construct)
        ),
        NoReverseItem { construct } => format!(
            "No {} item is reverse-keyed. When every item points the same way, respondents who tend to agree with anything score high, and the report's headline follows that habit instead of the customers. Add an item worded the opposite way and tick “Reverse-keyed”, such as {}.",
            construct_phrase(Locale::En, *construct),
            match construct {
                Construct::ContactBond => "“The brand's messages and offers mean little to me”",
                _ => "“The brand's values are far from my own”",
            }
        ),
        MixedItemForm { attributions, statements } => format!(
            "{attributions} bond item(s) give a reason (“… because …”, from {q} on) while {statements} are plain statements. An item that gives a reason is harder to agree with, so the scale that has them is pulled down and the headline leans to the other scale. Write every bond item in one form: a short first-person statement, one idea each."
        ),
    }
}

fn too_few_items_vi(construct: &Construct, found: &usize) -> String {
    let (score, example) = match construct {
        Construct::ContactBond => (
            "C",
            "“Tin nhắn và ưu đãi tôi nhận từ thương hiệu khiến tôi thấy gắn bó với họ”",
        ),
        _ => ("V", "“Giá trị của thương hiệu phù hợp với giá trị của tôi”"),
    };
    let what = construct_phrase(Locale::Vi, *construct);
    if *found < MIN_BOND_ITEMS {
        format!(
            "Khảo sát có {found} câu đo {what}. Với ít hơn 2 câu, điểm {score} dựa vào một câu hỏi duy nhất hoặc không tính được, và không kiểm tra được độ tin cậy (Cronbach α). Hãy thêm câu đồng ý 1–7, ví dụ {example}; nên có ít nhất 3 câu."
        )
    } else {
        format!(
            "Khảo sát có {found} câu đo {what}; nên có 3 câu. Người trả lời chọn “không biết” ở một câu sẽ không có điểm {score}, và Cronbach α trên 2 câu kém ổn định. Hãy thêm một câu nữa, ví dụ {example}."
        )
    }
}

fn unmapped_scale_vi(q: &str, kind: &QuestionKind) -> String {
    let scale = match kind {
        QuestionKind::Recommend10 => "thang 0–10",
        QuestionKind::ContactFrequency => "thang tần suất liên lạc",
        _ => "thang đồng ý 1–7",
    };
    format!(
        "Câu {q} dùng {scale} nhưng chưa gắn cấu trúc đo (construct): câu trả lời được lưu và xuất ra nhưng không vào điểm số hay chỉ số nào của báo cáo. Nếu câu này đo một cấu trúc của mô hình (ví dụ value_congruence), hãy đặt construct; nếu không, cân nhắc bỏ câu này."
    )
}

fn missing_text_vi(q: &str, part: &TextPart, locale: &Locale) -> String {
    let language = match locale {
        Locale::Vi => "tiếng Việt",
        Locale::En => "tiếng Anh",
    };
    let what = match part {
        TextPart::Title => "tiêu đề khảo sát".to_string(),
        TextPart::Intro => "lời giới thiệu".to_string(),
        TextPart::PageTitle { page } => format!("tiêu đề trang {}", page + 1),
        TextPart::Question => format!("câu hỏi {q}"),
        TextPart::Help => format!("phần gợi ý của câu {q}"),
        TextPart::Option { option } => format!("lựa chọn “{option}” của câu {q}"),
        TextPart::ValueLabel { value } => format!("tên giá trị “{value}”"),
    };
    format!(
        "Thiếu nội dung {language} ở {what}. Người làm khảo sát và người đọc báo cáo bằng {language} sẽ thấy chỗ này trống. Hãy bổ sung nội dung {language}."
    )
}

fn missing_construct_vi(construct: &Construct) -> String {
    let why = match construct {
        Construct::Relationship => "không so sánh được tỷ lệ khách hàng có mối quan hệ với thương hiệu với mức 23% của CEB",
        Construct::RelationshipReason => "không so sánh được lý do của mối quan hệ với CEB (64% giá trị chung, 13% liên lạc thường xuyên)",
        Construct::ContactActual => "báo cáo không cho biết liên lạc nhiều hơn có đi kèm gắn kết hơn không, cũng không ước tính được số lần liên lạc mỗi năm",
        Construct::ContactPreferred => "báo cáo không cho biết ai đang được liên lạc nhiều hơn hoặc ít hơn mong muốn",
        Construct::Nps => "không tính được NPS theo nhóm gắn kết",
        Construct::Advocacy => "không biết tỷ lệ khách hàng đã thực sự giới thiệu thương hiệu trong 12 tháng qua",
        Construct::VoiceHeard => "không biết khách hàng có cảm thấy được lắng nghe khi góp ý không",
        Construct::StoryRecall => "không biết khách hàng có nói được thương hiệu đại diện cho điều gì không",
        Construct::Segment => "không chia được các chỉ số theo nhóm khách hàng (ví dụ thời gian gắn bó), nên không phân biệt được nhóm khách hàng trung thành",
        _ => "các chỉ số liên quan không tính được",
    };
    format!(
        "Khảo sát chưa có câu hỏi về {}: {why}. Báo cáo vẫn hợp lệ khi thiếu câu này; hãy thêm nếu bạn cần chỉ số đó.",
        construct_phrase(Locale::Vi, *construct)
    )
}

fn too_few_items_en(construct: &Construct, found: &usize) -> String {
    let (score, example) = match construct {
        Construct::ContactBond => (
            "C",
            "“The messages and offers I get from the brand make me feel connected to it”",
        ),
        _ => ("V", "“The brand's values match my own values”"),
    };
    let what = construct_phrase(Locale::En, *construct);
    let questions = if *found == 1 { "question" } else { "questions" };
    if *found < MIN_BOND_ITEMS {
        format!(
            "The survey has {found} {what} {questions}. With fewer than 2 items the {score} score rests on a single question (or cannot be computed at all), and its reliability (Cronbach's α) cannot be checked. Add 1–7 agreement statements such as {example}; at least 3 are recommended."
        )
    } else {
        format!(
            "The survey has {found} {what} {questions}; 3 are recommended. A respondent who answers “don't know” to one of them gets no {score} score, and Cronbach's α on 2 items is unstable. Add one more statement such as {example}."
        )
    }
}

fn unmapped_scale_en(q: &str, kind: &QuestionKind) -> String {
    let scale = match kind {
        QuestionKind::Recommend10 => "0–10 scale",
        QuestionKind::ContactFrequency => "contact-frequency scale",
        _ => "1–7 agreement scale",
    };
    format!(
        "{q} is a {scale} question without a construct: its answers are stored and exported but enter no score or report figure. If it measures a construct of the model (e.g. value_congruence), set it; otherwise consider removing the question."
    )
}

fn missing_text_en(q: &str, part: &TextPart, locale: &Locale) -> String {
    let language = match locale {
        Locale::Vi => "Vietnamese",
        Locale::En => "English",
    };
    let what = match part {
        TextPart::Title => "the survey title".to_string(),
        TextPart::Intro => "the introduction".to_string(),
        TextPart::PageTitle { page } => format!("the title of page {}", page + 1),
        TextPart::Question => format!("the text of question {q}"),
        TextPart::Help => format!("the help text of question {q}"),
        TextPart::Option { option } => format!("option “{option}” of question {q}"),
        TextPart::ValueLabel { value } => format!("the label of value “{value}”"),
    };
    format!(
        "No {language} text for {what}. Respondents and report readers using {language} would see it empty. Add the {language} text."
    )
}

fn missing_construct_en(construct: &Construct) -> String {
    let why = match construct {
        Construct::Relationship => "the share of customers with a relationship cannot be compared with the CEB benchmark of 23%",
        Construct::RelationshipReason => "the reasons for a relationship cannot be compared with CEB (64% shared values, 13% frequent contact)",
        Construct::ContactActual => "the report cannot tell whether more contact goes with more bonding, nor estimate contacts per year",
        Construct::ContactPreferred => "the report cannot tell who is contacted more or less often than they want",
        Construct::Nps => "NPS by bond class cannot be shown",
        Construct::Advocacy => "the share of customers who actually recommended the brand in the last 12 months cannot be shown",
        Construct::VoiceHeard => "the report cannot show whether customers feel listened to",
        Construct::StoryRecall => "the report cannot show whether customers can say what the brand stands for",
        Construct::Segment => "figures cannot be cut by customer group (e.g. tenure), so loyal customers cannot be told apart",
        _ => "the related figures cannot be computed",
    };
    format!(
        "The survey has no {} question: {why}. The report stays valid without it; add one if you need that figure.",
        construct_phrase(Locale::En, *construct)
    )
}
