//! A simulated respondent: a browser without JavaScript answering the demo survey with
//! plain form posts, one response after another, counting what the server did.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use valuebond::demo::population::Population;
use valuebond::domain::answer::{Answer, DONT_KNOW};
use valuebond::domain::{flow, AnswerSet, SurveyDefinition};

/// What the respondents of one level counted together.
#[derive(Default)]
pub struct Counters {
    pub posts: AtomicU64,
    pub completes: AtomicU64,
    pub errors: AtomicU64,
}

/// When a paced respondent's next step is due.
struct Schedule {
    next: Instant,
    every: Duration,
}

impl Schedule {
    /// Waits until the next step is due; returns when it was due.
    async fn step(&mut self) -> Instant {
        let due = self.next;
        self.next += self.every;
        tokio::time::sleep_until(due.into()).await;
        due
    }
}

/// One respondent after another until the deadline; latencies of page posts (µs) sent
/// from `measured_from` on (the ones before warm the server up and are not counted).
/// With `pace`, each page post is due `pace` after the previous one (the next
/// respondent starts in the gap), and latency counts from when the post was due.
pub async fn respondent_loop(
    base: String,
    def: Arc<SurveyDefinition>,
    seed: u64,
    (measured_from, deadline): (Instant, Instant),
    counters: Arc<Counters>,
    pace: Option<Duration>,
) -> Vec<u32> {
    let mut population = Population::new(seed);
    // Paced respondents start spread over the time one of them takes for the whole
    // survey, so that at any moment they are on different pages, as people arriving
    // one by one are. (Spread over one interval only, they would move in lockstep: all
    // on the same page, and all starting their next response in the same few
    // milliseconds of every survey-length period.)
    let schedule = pace.map(|every| Schedule {
        next: Instant::now()
            + every.mul_f64(def.pages.len() as f64 * (seed % 1000) as f64 / 1000.0),
        every,
    });
    let survey = format!("{base}/s/{}", def.slug);
    let mut respondent = Respondent {
        base,
        shown: flow::BlockOrder::BOTH
            .iter()
            .map(|&o| flow::in_block_order(&def, o))
            .collect(),
        measured_from,
        deadline,
        counters,
        schedule,
        latencies: Vec::new(),
    };
    while Instant::now() < deadline {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let answers = population.respondent(&def);
        let Some(first_page) = start_response(&client, &survey).await else {
            respondent.counters.errors.fetch_add(1, Ordering::Relaxed);
            continue;
        };
        respondent.answer_pages(&client, first_page, &answers).await;
    }
    respondent.latencies
}

/// Opens the survey's intro page and starts a response: the path of the first page, or
/// `None` if the server failed.
async fn start_response(client: &reqwest::Client, survey: &str) -> Option<String> {
    let intro = client.get(survey).send().await.ok()?;
    let html = intro.text().await.unwrap_or_default();
    let token = hidden(&html, "token")?;
    let started = client
        .post(format!("{survey}/start"))
        .form(&[("token", token)])
        .send()
        .await;
    match started {
        Ok(r) if r.status().as_u16() == 303 => Some(location(&r)),
        _ => None,
    }
}

/// What a respondent keeps from one response to the next.
struct Respondent {
    base: String,
    /// The survey as shown in each block order: a respondent's pages follow the one the
    /// server drew for them, recognised from the questions on the page.
    shown: Vec<SurveyDefinition>,
    measured_from: Instant,
    deadline: Instant,
    counters: Arc<Counters>,
    schedule: Option<Schedule>,
    /// Page post latencies in µs, of the posts sent from `measured_from` on.
    latencies: Vec<u32>,
}

impl Respondent {
    /// Answers one page after another from the page at `to`, until the thanks page, an
    /// error or the deadline.
    async fn answer_pages(
        &mut self,
        client: &reqwest::Client,
        mut to: String,
        answers: &AnswerSet,
    ) {
        let mut so_far = AnswerSet::new();
        while to.contains("/p/") && Instant::now() < self.deadline {
            let page: usize = to
                .rsplit('/')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(1)
                - 1;
            let Ok(res) = client.get(format!("{}{to}", self.base)).send().await else {
                break;
            };
            let html = res.text().await.unwrap_or_default();
            let Some(idem) = hidden(&html, "_idem") else {
                self.counters.errors.fetch_add(1, Ordering::Relaxed);
                break;
            };
            let def = self.shown_on(&html, page, answers);
            for q in flow::visible_questions(def, page, answers) {
                if let Some(a) = answers.get(&q.key) {
                    so_far.insert(q.key.clone(), a.clone());
                }
            }
            let mut form = fields(def, page, &so_far);
            form.push(("_idem".into(), idem));
            form.push(("_nav".into(), "next".into()));
            match self.post_page(client, &to, &form).await {
                Some(next) => to = next,
                None => break,
            }
        }
    }

    /// The survey in the block order whose questions for this page are all in `html`.
    fn shown_on(&self, html: &str, page: usize, answers: &AnswerSet) -> &SurveyDefinition {
        self.shown
            .iter()
            .find(|d| {
                flow::visible_questions(d, page, answers)
                    .iter()
                    .all(|q| html.contains(&format!("name=\"q.{}\"", q.key)))
            })
            .unwrap_or(&self.shown[0])
    }

    /// Posts the page at `to` (when it is due, if paced) and counts it: where the server
    /// sent the respondent next, or `None` after an error.
    async fn post_page(
        &mut self,
        client: &reqwest::Client,
        to: &str,
        form: &[(String, String)],
    ) -> Option<String> {
        let sent = match &mut self.schedule {
            Some(schedule) => schedule.step().await,
            None => Instant::now(),
        };
        let res = client
            .post(format!("{}{to}", self.base))
            .form(form)
            .send()
            .await;
        let took = sent.elapsed().as_micros() as u32;
        match res {
            Ok(r) if r.status().as_u16() == 303 => {
                let next = location(&r);
                if sent >= self.measured_from {
                    self.latencies.push(took);
                    self.counters.posts.fetch_add(1, Ordering::Relaxed);
                    if next.ends_with("/thanks") {
                        self.counters.completes.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Some(next)
            }
            _ => {
                self.counters.errors.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }
}

fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

fn fields(def: &SurveyDefinition, page: usize, answers: &AnswerSet) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for q in flow::visible_questions(def, page, answers) {
        let name = flow::field_name(&q.key);
        match answers.get(&q.key) {
            Some(Answer::Choices(keys)) => keys
                .iter()
                .for_each(|k| out.push((name.clone(), k.clone()))),
            Some(Answer::DontKnow) => out.push((name, DONT_KNOW.to_string())),
            Some(a) => out.push((name, a.to_stored())),
            None => {}
        }
    }
    out
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or("")
        .to_string()
}
