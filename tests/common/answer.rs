//! One HTTP answer read whole: status, headers and the JSON body.

use serde_json::Value;

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    /// `Null` when there is no body.
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

pub async fn answer(res: reqwest::Response) -> Answer {
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    };
    Answer {
        status,
        headers,
        body,
    }
}
