namespace VideoNas.Grains;

public static class VideoNasStorage
{
    /// <summary>The grain storage provider every VideoNas grain uses.</summary>
    public const string Name = "videonas";
}
