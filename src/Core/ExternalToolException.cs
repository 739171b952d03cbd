namespace VideoNas.Core;

/// <summary>An external program (ffmpeg, ffprobe) could not be started; the message says how to get it.</summary>
public sealed class ExternalToolException(string message, Exception inner) : Exception(message, inner);
