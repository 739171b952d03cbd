namespace VideoNas.Core.DataPlane;

/// <summary>A ring member vanished, timed out or sent something other than what the ring expected.</summary>
public sealed class RingBrokenException(string message, Exception? inner = null) : IOException(message, inner);
