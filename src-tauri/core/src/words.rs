//! Enums that are written as fixed words (in files, the database, the protocol and settings):
//! the [`words!`](crate::words::words) macro declares each variant with its word once, and
//! derives from that one list the text form (`as_str`, `Display`), the parse (`FromStr`, and
//! `from_bytes` for columns read without copying), `ALL`, `WORDS` and a typed parse error.
//!
//! Serde names still come from `#[serde(rename_all = "snake_case")]` where an enum has them; the
//! tests of each module check that they are the same words, and the store's tests check that the
//! schema's `CHECK` lists are too.

/// Declares an enum whose variants are written as the given words, with its parse error type:
///
/// ```ignore
/// words! {
///     /// Why a break started.
///     #[derive(Clone, Copy, Debug, PartialEq, Eq)]
///     pub enum Trigger, error UnknownTrigger ("trigger") {
///         Scheduled = "scheduled",
///         Manual = "manual",
///     }
/// }
/// ```
///
/// The enum gets `ALL` (every value, in order), `WORDS` (their words, in the same order),
/// `as_str`, `from_bytes`, `Display` and `FromStr<Err = UnknownTrigger>`; the error says
/// `unknown trigger "x" (expected scheduled or manual)`.
macro_rules! words {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident, error $err:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $word:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$($word),+].len()] = [$($name::$variant),+];
            /// The word of each value in [`Self::ALL`], in the same order.
            pub const WORDS: [&'static str; [$($word),+].len()] = [$($word),+];

            /// The word used in files, the database and the protocol.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $word ),+
                }
            }

            /// Reads a word given as bytes (a database column read without copying).
            pub fn from_bytes(word: &[u8]) -> Result<Self, $err> {
                Self::ALL.into_iter().find(|v| v.as_str().as_bytes() == word).ok_or_else(|| $err(String::from_utf8_lossy(word).into_owned()))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $err;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $word => Ok($name::$variant), )+
                    other => Err($err(other.to_owned())),
                }
            }
        }

        #[doc = concat!("A word that names no ", $what, " (one of [`", stringify!($name), "::WORDS`]).")]
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $err(pub String);

        impl ::std::fmt::Display for $err {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "unknown {} {:?} (expected {})", $what, self.0, $crate::words::one_of($name::WORDS, false))
            }
        }

        impl ::std::error::Error for $err {}
    };
}
pub(crate) use words;

/// `a, b or c` (each quoted when `quoted`, as `"a", "b" or "c"`).
pub fn one_of(words: impl IntoIterator<Item = &'static str>, quoted: bool) -> String {
    let words: Vec<String> = words.into_iter().map(|w| if quoted { format!("{w:?}") } else { w.to_owned() }).collect();
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    words! {
        /// A test enum.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        enum Colour, error UnknownColour ("colour") {
            Red = "red",
            /// A documented variant.
            DarkBlue = "dark_blue",
            Green = "green",
        }
    }

    #[test]
    fn each_word_is_written_and_read_back_and_others_are_refused() {
        assert_eq!(Colour::ALL, [Colour::Red, Colour::DarkBlue, Colour::Green]);
        assert_eq!(Colour::WORDS, ["red", "dark_blue", "green"]);
        for (c, w) in Colour::ALL.into_iter().zip(Colour::WORDS) {
            assert_eq!(c.as_str(), w);
            assert_eq!(c.to_string(), w);
            assert_eq!(w.parse::<Colour>(), Ok(c));
            assert_eq!(Colour::from_bytes(w.as_bytes()), Ok(c));
        }
        assert_eq!("Red".parse::<Colour>(), Err(UnknownColour("Red".into())));
        assert_eq!(Colour::from_bytes(b"blue\xff"), Err(UnknownColour("blue\u{fffd}".into())));
        assert_eq!(UnknownColour("pink".into()).to_string(), r#"unknown colour "pink" (expected red, dark_blue or green)"#);
    }

    #[test]
    fn lists_read_as_a_sentence() {
        assert_eq!(one_of([], false), "");
        assert_eq!(one_of(["a"], true), "\"a\"");
        assert_eq!(one_of(["a", "b"], false), "a or b");
        assert_eq!(one_of(["a", "b", "c"], true), "\"a\", \"b\" or \"c\"");
    }
}
