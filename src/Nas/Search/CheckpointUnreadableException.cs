namespace VideoNas.Nas.Search;

/// <summary>A checkpoint that is missing, damaged, foreign or malformed: the message starts with its path.</summary>
public sealed class CheckpointUnreadableException(string path, string reason, Exception? inner = null)
    : IOException($"{path}: {reason}", inner);
