using Carrot.Configuration;

namespace Carrot.Daemon.Reloading;

/// <summary>Where a reload reads the configuration from, and the options the daemon started with.</summary>
internal sealed record ReloadSettings(string? ConfigPath, CarrotOptions StartOptions);
