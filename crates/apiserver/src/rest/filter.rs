//! The selection a LIST, WATCH or DELETECOLLECTION applies to stored objects.

use apimachinery::resource::ResourceInfo;
use apimachinery::selector::{convert_field_selector, FieldSelector, LabelSelector, Labels};
use apimachinery::ApiResult;

use crate::object::StoredObject;
use crate::query::Query;

impl Labels for StoredObject {
    fn label(&self, key: &str) -> Option<&str> {
        StoredObject::label(self, key)
    }
}

/// Parsed once per request; matching allocates nothing.
#[derive(Debug, Clone)]
pub struct Filter {
    /// Empty for every namespace.
    pub namespace: String,
    pub labels: LabelSelector,
    pub fields: FieldSelector,
}

impl Filter {
    pub fn from_query(res: &ResourceInfo, namespace: &str, query: &Query) -> ApiResult<Filter> {
        let labels = LabelSelector::parse(&query.label_selector)?;
        let fields = FieldSelector::parse(&query.field_selector)?;
        let fields = convert_field_selector(res.group, res.plural, &fields)?;
        Ok(Filter { namespace: namespace.to_string(), labels, fields })
    }

    pub fn is_everything(&self) -> bool {
        self.labels.is_empty() && self.fields.is_empty()
    }

    pub fn matches(&self, obj: &StoredObject) -> bool {
        if !self.namespace.is_empty() && *obj.namespace != *self.namespace {
            return false;
        }
        self.labels.matches(obj) && self.fields.matches_with(|f| obj.field(f).map(std::borrow::Cow::Borrowed))
    }

    /// The one name the field selector pins, if any (`metadata.name=x`).
    pub fn exact_name(&self) -> Option<&str> {
        self.fields.requires_exact_match("metadata.name")
    }
}
