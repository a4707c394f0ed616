namespace Carrot.Errors;

/// <summary>The configuration file or an environment override is wrong. The CLI exits 2 on it.</summary>
public sealed class CarrotConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
