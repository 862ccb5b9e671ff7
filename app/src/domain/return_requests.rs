//! Return requests (ORD-7): a customer asks, from their order's page, to
//! send units back, with a reason code, a comment and optional photos;
//! staff accept or reject the request, then receive the goods, which
//! records the return (refund and restocking by `domain::returns`).
use super::money::Lang;
use super::returns::{check_return, LineMoney, ReturnProblem, ReturnedLine};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Days after delivery a customer may ask to return goods bought at a
/// distance (the Russian consumer law's minimum is 7; shops give 14).
pub const RETURN_WINDOW_DAYS: i64 = 14;
pub const COMMENT_MAX_CHARS: usize = 1000;
pub const REPLY_MAX_CHARS: usize = 1000;
pub const MAX_PHOTOS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReturnReason {
    ChangedMind,
    WrongSize,
    Defective,
    NotAsDescribed,
    WrongItem,
    Other,
}

impl ReturnReason {
    pub const ALL: [ReturnReason; 6] = [
        ReturnReason::ChangedMind,
        ReturnReason::WrongSize,
        ReturnReason::Defective,
        ReturnReason::NotAsDescribed,
        ReturnReason::WrongItem,
        ReturnReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReturnReason::ChangedMind => "changed_mind",
            ReturnReason::WrongSize => "wrong_size",
            ReturnReason::Defective => "defective",
            ReturnReason::NotAsDescribed => "not_as_described",
            ReturnReason::WrongItem => "wrong_item",
            ReturnReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ReturnReason> {
        ReturnReason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (ru, en) = match self {
            ReturnReason::ChangedMind => ("Передумал(а)", "Changed my mind"),
            ReturnReason::WrongSize => ("Не подошёл размер", "Wrong size"),
            ReturnReason::Defective => ("Брак или повреждение", "Defective or damaged"),
            ReturnReason::NotAsDescribed => ("Не соответствует описанию", "Not as described"),
            ReturnReason::WrongItem => ("Прислали не тот товар", "Wrong item sent"),
            ReturnReason::Other => ("Другое", "Other"),
        };
        match lang {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }

    /// The customer must say what is wrong in the comment.
    fn needs_comment(self) -> bool {
        matches!(
            self,
            ReturnReason::Defective | ReturnReason::NotAsDescribed | ReturnReason::Other
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestStatus {
    Requested,
    Accepted,
    Rejected,
    /// The goods arrived and the return is recorded.
    Received,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 4] = [
        RequestStatus::Requested,
        RequestStatus::Accepted,
        RequestStatus::Rejected,
        RequestStatus::Received,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Requested => "requested",
            RequestStatus::Accepted => "accepted",
            RequestStatus::Rejected => "rejected",
            RequestStatus::Received => "received",
        }
    }

    pub fn parse(s: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (ru, en) = match self {
            RequestStatus::Requested => ("Заявка на рассмотрении", "Waiting for the shop"),
            RequestStatus::Accepted => (
                "Одобрено: отправьте товар магазину",
                "Accepted: send the goods back",
            ),
            RequestStatus::Rejected => ("Отклонено", "Rejected"),
            RequestStatus::Received => ("Товар получен, возврат оформлен", "Received and refunded"),
        };
        match lang {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }

    /// Still holds its units: they cannot be asked for again.
    pub fn open(self) -> bool {
        matches!(self, RequestStatus::Requested | RequestStatus::Accepted)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestProblem {
    /// Only a delivered order's goods can be sent back.
    NotDelivered,
    TooLate,
    NoReason,
    CommentRequired,
    CommentTooLong,
    TooManyPhotos,
    /// A photo is not a picture this shop can read, or is too large.
    BadPhoto,
    Lines(ReturnProblem),
}

impl RequestProblem {
    pub fn message(self, lang: Lang) -> String {
        let (ru, en) = match self {
            RequestProblem::NotDelivered => (
                "Вернуть товар можно после получения заказа.".to_string(),
                "Goods can be returned once the order is delivered.".to_string(),
            ),
            RequestProblem::TooLate => (
                format!("Срок возврата — {RETURN_WINDOW_DAYS} дней после получения — истёк."),
                format!("Returns are accepted within {RETURN_WINDOW_DAYS} days of delivery; that time has passed."),
            ),
            RequestProblem::NoReason => (
                "Выберите причину возврата.".into(),
                "Choose the reason for the return.".into(),
            ),
            RequestProblem::CommentRequired => (
                "Опишите, что не так с товаром.".into(),
                "Describe what is wrong with the goods.".into(),
            ),
            RequestProblem::CommentTooLong => (
                format!("Комментарий — не длиннее {COMMENT_MAX_CHARS} символов."),
                format!("The comment is at most {COMMENT_MAX_CHARS} characters."),
            ),
            RequestProblem::TooManyPhotos => (
                format!("Не больше {MAX_PHOTOS} фотографий."),
                format!("At most {MAX_PHOTOS} photos."),
            ),
            RequestProblem::BadPhoto => (
                "Фото должно быть в JPEG, PNG или WebP, до 15 МБ.".into(),
                "A photo must be a JPEG, PNG or WebP picture up to 15 MB.".into(),
            ),
            RequestProblem::Lines(problem) => return problem.message(lang),
        };
        match lang {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }

    /// A short code for the page's address after a plain form post.
    pub fn code(self) -> String {
        match self {
            RequestProblem::NotDelivered => "not_delivered".into(),
            RequestProblem::TooLate => "too_late".into(),
            RequestProblem::NoReason => "no_reason".into(),
            RequestProblem::CommentRequired => "comment_required".into(),
            RequestProblem::CommentTooLong => "comment_too_long".into(),
            RequestProblem::TooManyPhotos => "too_many_photos".into(),
            RequestProblem::BadPhoto => "bad_photo".into(),
            RequestProblem::Lines(ReturnProblem::Nothing) => "nothing".into(),
            RequestProblem::Lines(ReturnProblem::UnknownLine) => "unknown_line".into(),
            RequestProblem::Lines(ReturnProblem::TooMany { line_id, left }) => {
                format!("too_many.{line_id}.{left}")
            }
        }
    }

    pub fn from_code(code: &str) -> Option<RequestProblem> {
        if let Some(rest) = code.strip_prefix("too_many.") {
            let (line, left) = rest.split_once('.')?;
            return Some(RequestProblem::Lines(ReturnProblem::TooMany {
                line_id: line.parse().ok()?,
                left: left.parse().ok()?,
            }));
        }
        Some(match code {
            "not_delivered" => RequestProblem::NotDelivered,
            "too_late" => RequestProblem::TooLate,
            "no_reason" => RequestProblem::NoReason,
            "comment_required" => RequestProblem::CommentRequired,
            "comment_too_long" => RequestProblem::CommentTooLong,
            "too_many_photos" => RequestProblem::TooManyPhotos,
            "bad_photo" => RequestProblem::BadPhoto,
            "nothing" => RequestProblem::Lines(ReturnProblem::Nothing),
            "unknown_line" => RequestProblem::Lines(ReturnProblem::UnknownLine),
            _ => return None,
        })
    }
}

/// Still within the days a return may be asked for.
pub fn within_window(delivered_on: NaiveDate, today: NaiveDate) -> bool {
    (today - delivered_on).num_days() <= RETURN_WINDOW_DAYS
}

/// A request as the customer filled it in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestForm {
    pub lines: Vec<ReturnedLine>,
    pub reason: String,
    pub comment: String,
    pub photos: usize,
}

/// A checked request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRequest {
    pub lines: Vec<ReturnedLine>,
    pub reason: ReturnReason,
    pub comment: String,
}

/// Checks a request against the order: delivered on `delivered_on` (None:
/// not delivered), its lines with the units already returned or held by
/// open requests counted as returned.
pub fn check_request(
    form: &RequestForm,
    lines: &[LineMoney],
    delivered_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<ValidRequest, RequestProblem> {
    let delivered_on = delivered_on.ok_or(RequestProblem::NotDelivered)?;
    if !within_window(delivered_on, today) {
        return Err(RequestProblem::TooLate);
    }
    let lines_ok = check_return(lines, &form.lines).map_err(RequestProblem::Lines)?;
    let reason = ReturnReason::parse(form.reason.trim()).ok_or(RequestProblem::NoReason)?;
    let comment = form.comment.trim().to_string();
    if comment.chars().count() > COMMENT_MAX_CHARS {
        return Err(RequestProblem::CommentTooLong);
    }
    if comment.is_empty() && reason.needs_comment() {
        return Err(RequestProblem::CommentRequired);
    }
    if form.photos > MAX_PHOTOS {
        return Err(RequestProblem::TooManyPhotos);
    }
    Ok(ValidRequest {
        lines: lines_ok,
        reason,
        comment,
    })
}

/// What staff do with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestDecision {
    Accept,
    Reject,
    /// The goods arrived: back on sale (`restock`) or written off.
    Receive {
        restock: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecisionProblem {
    NotFrom(RequestStatus),
    /// A rejection tells the customer why.
    ReplyRequired,
    ReplyTooLong,
}

impl DecisionProblem {
    pub fn message(self, lang: Lang) -> String {
        match (self, lang) {
            (DecisionProblem::NotFrom(status), Lang::Ru) => {
                format!("Заявка уже в статусе «{}».", status.label(lang))
            }
            (DecisionProblem::NotFrom(status), Lang::En) => {
                format!("The request is already \"{}\".", status.label(lang))
            }
            (DecisionProblem::ReplyRequired, Lang::Ru) => {
                "Напишите покупателю причину отказа.".into()
            }
            (DecisionProblem::ReplyRequired, Lang::En) => {
                "Tell the customer why the request is rejected.".into()
            }
            (DecisionProblem::ReplyTooLong, Lang::Ru) => {
                format!("Ответ — не длиннее {REPLY_MAX_CHARS} символов.")
            }
            (DecisionProblem::ReplyTooLong, Lang::En) => {
                format!("The reply is at most {REPLY_MAX_CHARS} characters.")
            }
        }
    }
}

/// The request's next status: accepted or rejected while requested,
/// received once accepted. Returns the reply to store.
pub fn decide(
    status: RequestStatus,
    decision: RequestDecision,
    reply: &str,
) -> Result<(RequestStatus, String), DecisionProblem> {
    let reply = reply.trim().to_string();
    if reply.chars().count() > REPLY_MAX_CHARS {
        return Err(DecisionProblem::ReplyTooLong);
    }
    let next = match (decision, status) {
        (RequestDecision::Accept, RequestStatus::Requested) => RequestStatus::Accepted,
        (RequestDecision::Reject, RequestStatus::Requested | RequestStatus::Accepted) => {
            if reply.is_empty() {
                return Err(DecisionProblem::ReplyRequired);
            }
            RequestStatus::Rejected
        }
        (RequestDecision::Receive { .. }, RequestStatus::Accepted) => RequestStatus::Received,
        (_, from) => return Err(DecisionProblem::NotFrom(from)),
    };
    Ok((next, reply))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn lines(held: u32) -> Vec<LineMoney> {
        vec![LineMoney {
            line_id: 7,
            unit_price: Decimal::from(1000),
            ordered: 2,
            returned: held,
        }]
    }

    fn form(quantity: u32, reason: &str, comment: &str) -> RequestForm {
        RequestForm {
            lines: vec![ReturnedLine {
                line_id: 7,
                quantity,
            }],
            reason: reason.into(),
            comment: comment.into(),
            photos: 1,
        }
    }

    #[test]
    fn a_request_needs_a_delivered_order_within_the_window() {
        let f = form(1, "wrong_size", "");
        assert_eq!(
            check_request(&f, &lines(0), None, day(20)),
            Err(RequestProblem::NotDelivered)
        );
        assert!(check_request(&f, &lines(0), Some(day(1)), day(15)).is_ok());
        assert_eq!(
            check_request(&f, &lines(0), Some(day(1)), day(16)),
            Err(RequestProblem::TooLate)
        );
    }

    #[test]
    fn a_request_names_units_still_free_a_reason_and_says_what_is_wrong() {
        let at = |f: &RequestForm, held| check_request(f, &lines(held), Some(day(1)), day(2));
        assert_eq!(
            at(&form(0, "wrong_size", ""), 0),
            Err(RequestProblem::Lines(ReturnProblem::Nothing))
        );
        // One unit already held by an open request: one is left.
        assert_eq!(
            at(&form(2, "wrong_size", ""), 1),
            Err(RequestProblem::Lines(ReturnProblem::TooMany {
                line_id: 7,
                left: 1
            }))
        );
        assert_eq!(at(&form(1, "", ""), 0), Err(RequestProblem::NoReason));
        assert_eq!(
            at(&form(1, "defective", "  "), 0),
            Err(RequestProblem::CommentRequired)
        );
        assert_eq!(
            at(&form(1, "other", &"я".repeat(1001)), 0),
            Err(RequestProblem::CommentTooLong)
        );
        let photos = RequestForm {
            photos: 4,
            ..form(1, "wrong_size", "")
        };
        assert_eq!(at(&photos, 0), Err(RequestProblem::TooManyPhotos));
        let ok = at(&form(2, "defective", " шов разошёлся "), 0).unwrap();
        assert_eq!(
            (ok.reason, ok.comment.as_str(), ok.lines[0].quantity),
            (ReturnReason::Defective, "шов разошёлся", 2)
        );
    }

    #[test]
    fn problem_codes_survive_the_page_address() {
        let all = [
            RequestProblem::NotDelivered,
            RequestProblem::TooLate,
            RequestProblem::NoReason,
            RequestProblem::CommentRequired,
            RequestProblem::CommentTooLong,
            RequestProblem::TooManyPhotos,
            RequestProblem::BadPhoto,
            RequestProblem::Lines(ReturnProblem::Nothing),
            RequestProblem::Lines(ReturnProblem::UnknownLine),
            RequestProblem::Lines(ReturnProblem::TooMany {
                line_id: 12,
                left: 3,
            }),
        ];
        for problem in all {
            assert_eq!(RequestProblem::from_code(&problem.code()), Some(problem));
            assert!(!problem.message(Lang::Ru).is_empty());
        }
        assert_eq!(RequestProblem::from_code("too_many.x.1"), None);
        assert_eq!(RequestProblem::from_code("<script>"), None);
    }

    #[test]
    fn staff_accept_or_reject_then_receive() {
        use RequestStatus::*;
        let receive = RequestDecision::Receive { restock: true };
        assert_eq!(
            decide(Requested, RequestDecision::Accept, ""),
            Ok((Accepted, String::new()))
        );
        assert_eq!(
            decide(Requested, RequestDecision::Reject, " "),
            Err(DecisionProblem::ReplyRequired)
        );
        assert_eq!(
            decide(Accepted, RequestDecision::Reject, " worn "),
            Ok((Rejected, "worn".into()))
        );
        assert_eq!(
            decide(Requested, receive, ""),
            Err(DecisionProblem::NotFrom(Requested))
        );
        assert_eq!(decide(Accepted, receive, ""), Ok((Received, String::new())));
        for done in [Rejected, Received] {
            for decision in [RequestDecision::Accept, RequestDecision::Reject, receive] {
                assert_eq!(
                    decide(done, decision, "why"),
                    Err(DecisionProblem::NotFrom(done))
                );
            }
        }
        assert_eq!(
            decide(Requested, RequestDecision::Accept, &"x".repeat(1001)),
            Err(DecisionProblem::ReplyTooLong)
        );
        assert!(Requested.open() && Accepted.open() && !Rejected.open() && !Received.open());
    }
}
