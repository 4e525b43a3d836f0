//! Results: figures (median, min, max of the samples), the ratios the targets are stated in,
//! and their rendering as a table or as JSON.

use std::fmt::Write as _;

/// One measured quantity of one contender on one case.
#[derive(Clone, Debug)]
pub struct Figure {
    /// The case, e.g. `bulk/TLS1.3/AES-128-GCM/16384/roundtrip`.
    pub case: String,
    /// The contender's name.
    pub contender: &'static str,
    /// `MB/s`, `handshakes/s`, `us/connection`, `bytes`, `allocations/record`.
    pub unit: &'static str,
    /// Every sample, in the order taken.
    pub samples: Vec<f64>,
}

impl Figure {
    /// The median sample (the mean of the two middle ones for an even count).
    pub fn median(&self) -> f64 {
        median(&self.samples)
    }

    /// The smallest sample.
    pub fn min(&self) -> f64 {
        self.samples.iter().copied().fold(f64::INFINITY, f64::min)
    }

    /// The largest sample.
    pub fn max(&self) -> f64 {
        self.samples
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// The median of `samples` (NaN when empty).
pub fn median(samples: &[f64]) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    }
}

/// How a ratio or figure is judged.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// Must be at least this.
    AtLeast(f64),
    /// Must be at most this.
    AtMost(f64),
    /// Reported only.
    None,
}

/// A derived quantity: a ratio of two medians, or one figure held against a target.
#[derive(Clone, Debug)]
pub struct Ratio {
    /// Key in the JSON `ratios` object, e.g. `bulk_roundtrip_vs_rustls_buffered`.
    pub name: &'static str,
    /// What it compares, for people.
    pub description: &'static str,
    /// The value (None when a figure it needs was not measured).
    pub value: Option<f64>,
    /// The target.
    pub target: Target,
}

impl Ratio {
    /// Whether the target is met (None: no target or no value).
    pub fn met(&self) -> Option<bool> {
        let v = self.value?;
        match self.target {
            Target::AtLeast(t) => Some(v >= t),
            Target::AtMost(t) => Some(v <= t),
            Target::None => None,
        }
    }
}

/// Finds a figure's median.
pub fn find(figures: &[Figure], case: &str, contender: &str) -> Option<f64> {
    figures
        .iter()
        .find(|f| f.case == case && f.contender == contender)
        .map(Figure::median)
        .filter(|v| v.is_finite())
}

/// `a / b` of two figures' medians.
pub fn ratio_of(figures: &[Figure], case: &str, a: &str, b: &str) -> Option<f64> {
    let (x, y) = (find(figures, case, a)?, find(figures, case, b)?);
    (y != 0.0).then(|| x / y)
}

fn number(v: f64) -> String {
    if !v.is_finite() {
        "null".to_string()
    } else if v.abs() >= 100.0 || v == v.trunc() {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

/// A human-readable figure: thousands separated, fewer decimals for large values.
pub fn human(v: f64) -> String {
    if !v.is_finite() {
        return "-".to_string();
    }
    if v.abs() >= 1000.0 {
        let s = format!("{:.0}", v.abs());
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if v < 0.0 {
            out.insert(0, '-');
        }
        out
    } else if v.abs() >= 10.0 || v == v.trunc() {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

/// One table row for a figure.
pub fn row(f: &Figure) -> String {
    format!(
        "{:<48} {:<18} {:>12} {:>12} {:>12}  {}",
        f.case,
        f.contender,
        human(f.median()),
        human(f.min()),
        human(f.max()),
        f.unit
    )
}

/// The table header matching [`row`].
pub fn header() -> String {
    format!(
        "{:<48} {:<18} {:>12} {:>12} {:>12}  {}",
        "case", "contender", "median", "min", "max", "unit"
    )
}

/// The ratios as table lines.
pub fn ratio_lines(ratios: &[Ratio]) -> String {
    let mut s = String::new();
    for r in ratios {
        let target = match r.target {
            Target::AtLeast(t) => format!(">= {}", human(t)),
            Target::AtMost(t) => format!("<= {}", human(t)),
            Target::None => String::new(),
        };
        let verdict = match r.met() {
            Some(true) => "met",
            Some(false) => "NOT MET",
            None => "",
        };
        let _ = writeln!(
            s,
            "{:<40} {:>10} {:>10} {:<8} {}",
            r.name,
            r.value.map_or("-".to_string(), human),
            target,
            verdict,
            r.description
        );
    }
    s
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The JSON document: `{"machine": {...}, "cases": [...], "ratios": {...}, "targets": [...]}`.
pub fn json(machine: &[(&str, String)], figures: &[Figure], ratios: &[Ratio]) -> String {
    let mut s = String::from("{\n  \"machine\": {");
    for (i, (k, v)) in machine.iter().enumerate() {
        let _ = write!(
            s,
            "{}\n    {}: {}",
            if i > 0 { "," } else { "" },
            escape(k),
            escape(v)
        );
    }
    s.push_str("\n  },\n  \"cases\": [");
    for (i, f) in figures.iter().enumerate() {
        let _ = write!(
            s,
            "{}\n    {{\"name\": {}, \"contender\": {}, \"unit\": {}, \"median\": {}, \"min\": {}, \"max\": {}, \"samples\": {}}}",
            if i > 0 { "," } else { "" },
            escape(&f.case),
            escape(f.contender),
            escape(f.unit),
            number(f.median()),
            number(f.min()),
            number(f.max()),
            f.samples.len()
        );
    }
    s.push_str("\n  ],\n  \"ratios\": {");
    for (i, r) in ratios.iter().enumerate() {
        let _ = write!(
            s,
            "{}\n    {}: {}",
            if i > 0 { "," } else { "" },
            escape(r.name),
            r.value.map_or("null".to_string(), number)
        );
    }
    s.push_str("\n  },\n  \"targets\": [");
    for (i, r) in ratios.iter().enumerate() {
        let (op, t) = match r.target {
            Target::AtLeast(t) => (">=", number(t)),
            Target::AtMost(t) => ("<=", number(t)),
            Target::None => ("", "null".to_string()),
        };
        let _ = write!(
            s,
            "{}\n    {{\"name\": {}, \"description\": {}, \"value\": {}, \"op\": {}, \"target\": {}, \"met\": {}}}",
            if i > 0 { "," } else { "" },
            escape(r.name),
            escape(r.description),
            r.value.map_or("null".to_string(), number),
            escape(op),
            t,
            r.met().map_or("null".to_string(), |m| m.to_string())
        );
    }
    s.push_str("\n  ]\n}\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(case: &str, contender: &'static str, samples: &[f64]) -> Figure {
        Figure {
            case: case.to_string(),
            contender,
            unit: "MB/s",
            samples: samples.to_vec(),
        }
    }

    #[test]
    fn median_min_max() {
        let f = fig("c", "a", &[5.0, 1.0, 3.0]);
        assert_eq!((f.median(), f.min(), f.max()), (3.0, 1.0, 5.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn ratios_and_targets() {
        let figures = vec![fig("c", "a", &[10.0]), fig("c", "b", &[4.0])];
        assert_eq!(ratio_of(&figures, "c", "a", "b"), Some(2.5));
        assert_eq!(ratio_of(&figures, "c", "a", "missing"), None);
        let r = Ratio {
            name: "r",
            description: "d",
            value: Some(2.5),
            target: Target::AtLeast(3.0),
        };
        assert_eq!(r.met(), Some(false));
        let r = Ratio {
            target: Target::AtMost(3.0),
            ..r
        };
        assert_eq!(r.met(), Some(true));
    }

    #[test]
    fn human_numbers() {
        assert_eq!(human(1234567.8), "1,234,568");
        assert_eq!(human(999.0), "999.0");
        assert_eq!(human(0.5), "0.500");
        assert_eq!(human(f64::NAN), "-");
    }

    #[test]
    fn json_is_well_formed_and_escaped() {
        let figures = vec![fig("bulk/\"x\"", "a", &[1.5, 2.5])];
        let ratios = vec![Ratio {
            name: "r",
            description: "a\\b",
            value: None,
            target: Target::None,
        }];
        let j = json(&[("cpu", "x\ny".to_string())], &figures, &ratios);
        assert!(j.contains("\"name\": \"bulk/\\\"x\\\"\""));
        assert!(j.contains("\"median\": 2"));
        assert!(j.contains("\"r\": null"));
        assert!(j.contains("\"cpu\": \"x\\ny\""));
        // Balanced braces and brackets outside strings.
        let (mut depth, mut in_str, mut esc) = (0i32, false, false);
        for c in j.chars() {
            match (in_str, esc, c) {
                (true, true, _) => esc = false,
                (true, false, '\\') => esc = true,
                (true, false, '"') => in_str = false,
                (false, _, '"') => in_str = true,
                (false, _, '{' | '[') => depth += 1,
                (false, _, '}' | ']') => depth -= 1,
                _ => {}
            }
            assert!(depth >= 0);
        }
        assert_eq!(depth, 0);
    }
}
