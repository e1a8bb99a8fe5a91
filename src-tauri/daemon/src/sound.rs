//! The chime: a short, soft sound when a break starts and ends, synthesized here (no audio
//! files), played with rodio on a short-lived thread that opens the audio device only while it
//! plays. With no audio device Respite stays silent, says so once in the log, and never waits.

use respite_core::settings::SoundPrefs;
use rodio::buffer::SamplesBuffer;
use rodio::{DeviceSinkBuilder, Player};
use std::num::NonZero;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

const RATE: u32 = 44_100;
/// Loudest sample at volume 100: a chime, not an alarm.
const PEAK: f32 = 0.3;

/// Which chime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chime {
    /// Two notes rising: a break begins.
    Start,
    /// Two notes falling: back to work.
    End,
}

/// Plays the chime (already known to be wanted, at `volume` 1 to 100); returns at once. The
/// daemon's is [`Rodio`]; tests record.
pub trait Speaker: Send {
    fn chime(&self, chime: Chime, volume: u8);
}

/// Plays chimes according to the sound settings, through its [`Speaker`].
pub struct Sound {
    prefs: SoundPrefs,
    speaker: Box<dyn Speaker>,
}

impl Sound {
    pub fn new(prefs: SoundPrefs, speaker: Box<dyn Speaker>) -> Self {
        Self { prefs, speaker }
    }

    /// New sound settings (a reload).
    pub fn set_prefs(&mut self, prefs: SoundPrefs) {
        self.prefs = prefs;
    }

    /// Plays `chime` in the background (nothing if sound is off).
    pub fn play(&self, chime: Chime) {
        if self.prefs.enabled && self.prefs.volume > 0 {
            self.speaker.chime(chime, self.prefs.volume);
        }
    }
}

/// The audio device, through rodio, on a short-lived thread per chime. After the device fails to
/// open once, it is not asked again in this run (ALSA prints its own errors at every attempt).
#[derive(Debug, Default)]
pub struct Rodio {
    no_device: Arc<AtomicBool>,
}

impl Speaker for Rodio {
    fn chime(&self, chime: Chime, volume: u8) {
        if self.no_device.load(Ordering::Relaxed) {
            return;
        }
        let samples = synthesize(chime, volume);
        let no_device = Arc::clone(&self.no_device);
        let spawned = thread::Builder::new().name("chime".into()).spawn(move || {
            let mut device = match DeviceSinkBuilder::open_default_sink() {
                Ok(device) => device,
                Err(e) => {
                    if !no_device.swap(true, Ordering::Relaxed) {
                        tracing::warn!("no audio device ({e}); breaks stay silent until Respite restarts");
                    }
                    return;
                }
            };
            device.log_on_drop(false);
            let player = Player::connect_new(device.mixer());
            player.append(SamplesBuffer::new(NonZero::<u16>::MIN, NonZero::new(RATE).expect("non-zero rate"), samples));
            player.sleep_until_end();
        });
        if let Err(e) = spawned {
            tracing::warn!("cannot play the chime: {e}");
        }
    }
}

/// The chime's samples (mono, 44.1 kHz): two bell-like notes, each a sine with a soft octave
/// partial, a 10 ms attack and an exponential decay, so it starts and ends in silence.
pub fn synthesize(chime: Chime, volume: u8) -> Vec<f32> {
    let (first, second) = match chime {
        Chime::Start => (659.25, 880.0), // E5 then A5
        Chime::End => (880.0, 659.25),
    };
    let gain = PEAK * f32::from(volume.min(100)) / 100.0;
    let note_len = (RATE as f32 * 0.9) as usize;
    let gap = (RATE as f32 * 0.18) as usize;
    let mut out = vec![0.0f32; gap + note_len];
    for (offset, freq) in [(0, first), (gap, second)] {
        for i in 0..note_len - offset.min(note_len) {
            let t = i as f32 / RATE as f32;
            let attack = (t / 0.01).min(1.0);
            let decay = (-t * 5.0).exp();
            let fade = ((note_len - offset - i) as f32 / (RATE as f32 * 0.05)).min(1.0);
            let tone = (std::f32::consts::TAU * freq * t).sin() + 0.25 * (std::f32::consts::TAU * 2.0 * freq * t).sin();
            out[offset + i] += gain * 0.5 * attack * decay * fade * tone / 1.25;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chime_is_short_soft_and_starts_and_ends_in_silence() {
        for chime in [Chime::Start, Chime::End] {
            let samples = synthesize(chime, 100);
            let seconds = samples.len() as f32 / RATE as f32;
            assert!((0.9..1.5).contains(&seconds), "{seconds} s");
            let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
            assert!(peak > 0.05 && peak <= PEAK, "peak {peak}");
            assert!(samples[0].abs() < 1e-3 && samples.last().unwrap().abs() < 1e-3);
        }
        let quiet = synthesize(Chime::Start, 10).iter().fold(0.0f32, |m, s| m.max(s.abs()));
        let loud = synthesize(Chime::Start, 100).iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!((loud / quiet - 10.0).abs() < 0.01, "volume scales the chime: {quiet} vs {loud}");
        assert!(synthesize(Chime::Start, 0).iter().all(|s| *s == 0.0));
    }
}
