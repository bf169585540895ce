//! Names of the domain's fixed lists (question kinds, measurement constructs, survey
//! statuses), translated once: the builder, the reports and the checker's messages all
//! name them through here.

use crate::domain::quality::Flag;
use crate::domain::survey::SurveyStatus;
use crate::domain::{Construct, Locale, QuestionKind};

pub struct Names {
    pub kind: fn(QuestionKind) -> &'static str,
    pub construct: fn(Construct) -> &'static str,
    pub status: fn(SurveyStatus) -> &'static str,
    /// A response-quality flag.
    pub flag: fn(Flag) -> &'static str,
}

pub fn names(locale: Locale) -> &'static Names {
    match locale {
        Locale::Vi => &VI,
        Locale::En => &EN,
    }
}

const VI: Names = Names {
    kind: |k| match k {
        QuestionKind::SingleChoice => "Chọn một",
        QuestionKind::MultipleChoice => "Chọn nhiều",
        QuestionKind::Agree7 => "Thang đồng ý 1–7",
        QuestionKind::Recommend10 => "Khả năng giới thiệu 0–10",
        QuestionKind::ContactFrequency => "Tần suất liên hệ",
        QuestionKind::YesNoDk => "Có / Không / Không biết",
        QuestionKind::ShortText => "Trả lời ngắn",
        QuestionKind::LongText => "Trả lời dài",
    },
    construct: |c| match c {
        Construct::Relationship => "Có quan hệ với thương hiệu",
        Construct::RelationshipReason => "Lý do của quan hệ",
        Construct::ValueCongruence => "Tương đồng giá trị",
        Construct::ContactBond => "Gắn kết qua liên hệ",
        Construct::ValueImportance => "Tầm quan trọng của một giá trị",
        Construct::ValuePerception => "Cảm nhận về một giá trị",
        Construct::ContactActual => "Tần suất liên hệ thực tế",
        Construct::ContactPreferred => "Tần suất liên hệ mong muốn",
        Construct::Nps => "NPS (giới thiệu)",
        Construct::Advocacy => "Đã giới thiệu cho người khác",
        Construct::VoiceHeard => "Được lắng nghe",
        Construct::StoryRecall => "Nhớ câu chuyện thương hiệu",
        Construct::Segment => "Phân khúc (nhóm so sánh)",
    },
    status: |s| match s {
        SurveyStatus::Open => "Đang mở",
        SurveyStatus::Closed => "Đã đóng",
        SurveyStatus::Archived => "Đã lưu trữ",
        SurveyStatus::Draft => "Bản nháp",
    },
    flag: |f| match f {
        Flag::Speeder => "trả lời quá nhanh",
        Flag::StraightLiner => "một đáp án cho mọi câu",
        Flag::Bot => "do máy gửi",
    },
};

const EN: Names = Names {
    kind: |k| match k {
        QuestionKind::SingleChoice => "Single choice",
        QuestionKind::MultipleChoice => "Multiple choice",
        QuestionKind::Agree7 => "Agreement scale 1–7",
        QuestionKind::Recommend10 => "Likelihood to recommend 0–10",
        QuestionKind::ContactFrequency => "Contact frequency",
        QuestionKind::YesNoDk => "Yes / No / Don't know",
        QuestionKind::ShortText => "Short text",
        QuestionKind::LongText => "Long text",
    },
    construct: |c| match c {
        Construct::Relationship => "Relationship with the brand",
        Construct::RelationshipReason => "Reason for the relationship",
        Construct::ValueCongruence => "Value congruence",
        Construct::ContactBond => "Contact bond",
        Construct::ValueImportance => "Importance of a value",
        Construct::ValuePerception => "Perception of a value",
        Construct::ContactActual => "Actual contact frequency",
        Construct::ContactPreferred => "Preferred contact frequency",
        Construct::Nps => "NPS (recommend)",
        Construct::Advocacy => "Advocacy",
        Construct::VoiceHeard => "Voice heard",
        Construct::StoryRecall => "Story recall",
        Construct::Segment => "Segment (comparison groups)",
    },
    status: |s| match s {
        SurveyStatus::Open => "Open",
        SurveyStatus::Closed => "Closed",
        SurveyStatus::Archived => "Archived",
        SurveyStatus::Draft => "Draft",
    },
    flag: |f| match f {
        Flag::Speeder => "speeder",
        Flag::StraightLiner => "straight-liner",
        Flag::Bot => "bot",
    },
};
