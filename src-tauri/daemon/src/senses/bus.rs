//! The D-Bus plumbing the bus sources share: a proxy per object, method calls that never start a
//! service, and property reads.

use super::SenseError;
use zbus::blocking::{Connection, Proxy};
use zbus::proxy::MethodFlags;
use zbus::zvariant::{DynamicDeserialize, DynamicType, OwnedValue};

/// A proxy for `interface` on `destination`'s object `path`. Nothing is sent until a call.
pub(crate) fn proxy(
    bus: &Connection,
    destination: &'static str,
    path: &'static str,
    interface: &'static str,
) -> Result<Proxy<'static>, SenseError> {
    Ok(Proxy::new(bus, destination, path, interface)?)
}

/// Calls `method` without letting the bus start the service when it is not running: a desktop
/// component that is not there is an answer, not something to launch.
pub(crate) fn call<B, R>(proxy: &Proxy<'_>, method: &'static str, body: &B) -> Result<R, SenseError>
where
    B: serde::Serialize + DynamicType,
    R: for<'d> DynamicDeserialize<'d>,
{
    proxy
        .call_with_flags(method, MethodFlags::NoAutoStart.into(), body)?
        .ok_or(SenseError::Unavailable("the service sent no reply"))
}

/// One property of one object, read with `org.freedesktop.DBus.Properties.Get` each time (no
/// cache, no signal subscription).
pub(crate) struct Property {
    properties: Proxy<'static>,
    interface: &'static str,
    name: &'static str,
}

impl Property {
    pub(crate) fn new(
        bus: &Connection,
        destination: &'static str,
        path: &'static str,
        interface: &'static str,
        name: &'static str,
    ) -> Result<Self, SenseError> {
        let properties = proxy(bus, destination, path, "org.freedesktop.DBus.Properties")?;
        Ok(Property { properties, interface, name })
    }

    pub(crate) fn get<T>(&self) -> Result<T, SenseError>
    where
        T: TryFrom<OwnedValue>,
        T::Error: Into<zbus::Error>,
    {
        let value: OwnedValue = call(&self.properties, "Get", &(self.interface, self.name))?;
        T::try_from(value).map_err(|e| SenseError::Bus(e.into()))
    }
}

impl From<zbus::fdo::Error> for SenseError {
    fn from(e: zbus::fdo::Error) -> Self {
        SenseError::Bus(e.into())
    }
}
