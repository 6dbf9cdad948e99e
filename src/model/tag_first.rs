//! Reading `{"type": "paragraph", ...}` without serde's buffering.
//!
//! serde reads an internally tagged enum by first copying each object into
//! a buffer of its own (it cannot know that the tag comes first), then
//! reading the variant from that copy. Blocks and inlines are most of a
//! release's snapshot, and those copies were a fifth of reading one (54 ms
//! for 1,000 notes; 44 without). Everything upbook writes puts `type`
//! first: [`tag_first!`] declares the enum once and reads it by taking the
//! tag, then handing the rest of the object straight to the variant's
//! fields.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, VariantAccess, Visitor,
};

/// Declares `$name` as written (internally tagged with `type`) and reads
/// it through `$outer`, a private copy of it tagged from outside, which
/// serde reads without a buffer.
macro_rules! tag_first {
    (
        $(#[$meta:meta])*
        pub enum $name:ident reads as $outer:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident $({
                    $( $(#[$field_meta:meta])* $field:ident : $ty:ty ),* $(,)?
                })?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[serde(tag = "type", rename_all = "kebab-case")]
        pub enum $name {
            $( $(#[$variant_meta])* $variant $({ $( $(#[$field_meta])* $field : $ty ),* })? ),*
        }

        #[derive(serde::Deserialize)]
        #[serde(rename_all = "kebab-case")]
        enum $outer {
            $( $variant $({ $( $(#[$field_meta])* $field : $ty ),* })? ),*
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(match $crate::model::tag_first::read::<$outer, D>(d, stringify!($name))? {
                    $( $outer::$variant $({ $($field),* })? => $name::$variant $({ $($field),* })? ),*
                })
            }
        }
    };
}

pub(crate) use tag_first;

/// Reads an object whose first entry is `"type"` as the enum `T`, tagged
/// from outside. `what` names it in the message when `type` is not first.
pub fn read<'de, T: de::Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
    what: &'static str,
) -> Result<T, D::Error> {
    d.deserialize_map(TagFirst {
        what,
        read: PhantomData,
    })
}

struct TagFirst<T> {
    what: &'static str,
    read: PhantomData<T>,
}

impl<'de, T: de::Deserialize<'de>> Visitor<'de> for TagFirst<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a {} object with `type` first", self.what)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        match map.next_key_seed(IsType)? {
            Some(true) => T::deserialize(Variant { map }),
            _ => Err(de::Error::custom(format_args!(
                "expected a {} object with `type` first",
                self.what
            ))),
        }
    }
}

/// Whether a key is `type`, read without copying it.
struct IsType;

impl<'de> DeserializeSeed<'de> for IsType {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for IsType {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == "type")
    }
}

/// The rest of the object after its `type` key, read as the variant the
/// tag names.
struct Variant<A> {
    map: A,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for Variant<A> {
    type Error = A::Error;

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("a tagged object is read as an enum"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

impl<'de, A: MapAccess<'de>> EnumAccess<'de> for Variant<A> {
    type Error = A::Error;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(
        mut self,
        seed: S,
    ) -> Result<(S::Value, Self), A::Error> {
        let tag = self.map.next_value_seed(seed)?;
        Ok((tag, self))
    }
}

impl<'de, A: MapAccess<'de>> VariantAccess<'de> for Variant<A> {
    type Error = A::Error;

    fn unit_variant(mut self) -> Result<(), A::Error> {
        match self.map.next_key::<de::IgnoredAny>()? {
            None => Ok(()),
            Some(_) => Err(de::Error::custom("this type has no other fields")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_map(self.map)
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, _seed: S) -> Result<S::Value, A::Error> {
        Err(de::Error::custom("a tagged object's fields are named"))
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("a tagged object's fields are named"))
    }
}

#[cfg(test)]
mod tests {
    use crate::model::document::{Alignment, Block, CalloutKind, Inline, ListItem, Step};

    fn text(t: &str) -> Vec<Inline> {
        vec![Inline::Text { text: t.into() }]
    }

    /// One of every kind of block and inline, nested as notes nest them.
    fn every_kind() -> Vec<Block> {
        let inlines = vec![
            Inline::Text {
                text: "a \"quoted\" <b>".into(),
            },
            Inline::Code { code: "x".into() },
            Inline::Emphasis { content: text("e") },
            Inline::Strong { content: text("s") },
            Inline::Strikethrough { content: text("k") },
            Inline::Link {
                url: "#b".into(),
                title: String::new(),
                content: text("l"),
            },
            Inline::Image {
                src: "images/a.png".into(),
                alt: "A".into(),
                title: "T".into(),
            },
            Inline::FootnoteRef { label: "1".into() },
            Inline::SoftBreak,
            Inline::LineBreak,
        ];
        let paragraph = Block::Paragraph { content: inlines };
        vec![
            paragraph.clone(),
            Block::Heading {
                level: 2,
                id: "h".into(),
                content: text("H"),
            },
            Block::Steps {
                steps: vec![Step {
                    number: 1,
                    blocks: vec![paragraph.clone()],
                    no_return: true,
                }],
            },
            Block::List {
                ordered: false,
                start: 1,
                items: vec![ListItem {
                    checked: Some(true),
                    blocks: vec![Block::Rule],
                }],
            },
            Block::Code {
                language: Some("sh".into()),
                code: "ls\n".into(),
            },
            Block::Code {
                language: None,
                code: String::new(),
            },
            Block::Table {
                alignments: vec![Alignment::Left, Alignment::None],
                header: vec![text("a"), text("b")],
                rows: vec![vec![text("1"), vec![]]],
                records: true,
            },
            Block::Callout {
                kind: CalloutKind::Warning,
                title: Some("Known issue".into()),
                id: None,
                blocks: vec![paragraph.clone()],
            },
            Block::Quote {
                blocks: vec![Block::Rule],
            },
            Block::Rule,
            Block::Footnote {
                label: "1".into(),
                blocks: vec![paragraph],
            },
            Block::Only {
                only: vec!["Production".into()],
                blocks: vec![],
            },
            Block::EachHost {
                role: "Broker".into(),
                when_none: None,
                blocks: vec![],
            },
        ]
    }

    #[test]
    fn every_kind_of_block_reads_back_as_written() {
        let blocks = every_kind();
        let json = serde_json::to_string(&blocks).unwrap();
        assert!(json.starts_with(r#"[{"type":"paragraph","content":[{"type":"text","#));
        let back: Vec<Block> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, blocks);
    }

    #[test]
    fn a_block_without_its_type_first_is_refused_by_name() {
        let err = serde_json::from_str::<Block>(r#"{"content":[],"type":"paragraph"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("Block object with `type` first"), "{err}");
        let err = serde_json::from_str::<Block>(r#"{"type":"chapter","content":[]}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown variant `chapter`"), "{err}");
        let err = serde_json::from_str::<Block>(r#"{"type":"rule","x":1}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no other fields"), "{err}");
        let err = serde_json::from_str::<Inline>(r#"{"type":"text"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing field `text`"), "{err}");
    }
}
