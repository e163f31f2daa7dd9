namespace KMeansPS.Imaging.IO;

/// <summary>What a path names once symbolic links are followed.</summary>
internal enum FileKind
{
    /// <summary>A regular file: the only kind an output may replace.</summary>
    Regular,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A device, pipe, socket or anything else that is neither.</summary>
    Other,
}
