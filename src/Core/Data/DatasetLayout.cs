namespace VideoNas.Core.Data;

/// <summary>
/// Opens a dataset in whichever layout its root holds, in this order: the UCF101 layout
/// (<c>ucfTrainTestlist/</c>), rawframes lists (<c>*_rawframes.txt</c>), or plain class folders of videos.
/// </summary>
public static class DatasetLayout
{
    public const string Help = """
        Datasets are read in any of three layouts, recognised by what the root holds:
          UCF101 (and HMDB51 converted to it): <root>/<Class>/<clip>.avi with ucfTrainTestlist/classInd.txt,
                 trainlist0N.txt ("path label", 1-based) and testlist0N.txt ("path")
          rawframes (TSN/MMAction): <root>/<dir>/img_00001.jpg… with <name>_train_split_N_rawframes.txt and
                 <name>_val_split_N_rawframes.txt ("dir num_frames label", 0-based); optional classInd.txt
          class folders: <root>/<Class>/<clip>.(avi|mp4|mkv|webm|mov|mpg), no list files; split N tests on a
                 third of each class's groups (UCF101 _gXX_ names keep a group together), chosen by --split-seed
        """;

    /// <param name="splitSeed">Only for class folders: which groups form each fold.</param>
    /// <param name="onBadLine">When given, a malformed list line is reported through it and skipped; otherwise it throws.</param>
    public static VideoDataset Open(string root, int split = 1, int splitSeed = 0, Action<string>? onBadLine = null)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: dataset root not found");
        if (Ucf101Layout.Recognises(root)) return Ucf101Layout.Load(root, split, onBadLine);
        if (RawFramesLayout.Recognises(root)) return RawFramesLayout.Load(root, split, onBadLine);
        if (ClassFolderLayout.Recognises(root)) return ClassFolderLayout.Load(root, split, splitSeed);
        throw new FormatException(
            $"{root}: not a dataset: no {Ucf101Layout.ListFolder}/classInd.txt, no *_rawframes.txt list, and no class folder with video files");
    }
}
