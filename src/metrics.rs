//! Prometheus metrics: deliveries by channel and state (read from the store at scrape time, so
//! they are right across restarts and processes), publish latency and due-time lateness per
//! channel, attempt outcomes, and reach samples by outcome. Labels stay low-cardinality: channel, state, outcome.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::store::DeliveryCount;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ChannelLabel {
    pub channel: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StateLabel {
    pub channel: String,
    pub state: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabel {
    pub channel: String,
    pub outcome: String,
}

fn latency_histogram() -> Histogram {
    Histogram::new([
        0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
    ])
}

pub struct Metrics {
    registry: std::sync::Mutex<Registry>,
    pub deliveries: Family<StateLabel, Gauge>,
    pub publish_seconds: Family<ChannelLabel, Histogram>,
    pub lateness_seconds: Family<ChannelLabel, Histogram>,
    pub attempts: Family<OutcomeLabel, Counter>,
    /// Reach samples by channel and outcome: stored, failed, held, not_ready.
    pub reach_samples: Family<OutcomeLabel, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("prakat");
        let deliveries = Family::<StateLabel, Gauge>::default();
        let publish_seconds = Family::<ChannelLabel, Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        let lateness_seconds = Family::<ChannelLabel, Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        let attempts = Family::<OutcomeLabel, Counter>::default();
        let reach_samples = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "deliveries",
            "Deliveries by channel and state",
            deliveries.clone(),
        );
        registry.register(
            "publish_seconds",
            "Time a channel's publish call took",
            publish_seconds.clone(),
        );
        registry.register(
            "due_lateness_seconds",
            "Time from a delivery's due time to its first publish call",
            lateness_seconds.clone(),
        );
        registry.register(
            "publish_attempts",
            "Publish attempts by outcome",
            attempts.clone(),
        );
        registry.register(
            "reach_samples",
            "Reach samples by channel and outcome",
            reach_samples.clone(),
        );
        Metrics {
            registry: std::sync::Mutex::new(registry),
            deliveries,
            publish_seconds,
            lateness_seconds,
            attempts,
            reach_samples,
        }
    }

    /// Encode in Prometheus text format, with the delivery gauges set from `counts`.
    pub fn render(&self, counts: &[DeliveryCount]) -> String {
        self.deliveries.clear();
        for c in counts {
            self.deliveries
                .get_or_create(&StateLabel {
                    channel: c.channel.clone(),
                    state: c.state.as_str().to_owned(),
                })
                .set(c.count as i64);
        }
        let mut out = String::new();
        let registry = self.registry.lock().unwrap_or_else(|e| e.into_inner());
        let _ = encode(&mut out, &registry);
        out
    }
}
