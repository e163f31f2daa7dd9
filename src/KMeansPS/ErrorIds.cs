namespace KMeansPS;

/// <summary>
/// Stable error ids: they form FullyQualifiedErrorId ("Id,KMeansPS.Commands.XCommand"), which scripts and
/// tests match on, so they are part of the contract.
/// </summary>
internal static class ErrorIds
{
    public const string InvalidArgument = "InvalidArgument";
    public const string FileNotFound = "FileNotFound";
    public const string PathIsDirectory = "PathIsDirectory";
    /// <summary>A -Path holding wildcard characters matches no file, but a file of that very name exists ('IMG [1].jpg'); category ObjectNotFound.</summary>
    public const string PatternNamesLiteralFile = "PatternNamesLiteralFile";
    /// <summary>An image path names a pipe (FIFO), socket or device, which is not read (a pipe would wait for a writer); category InvalidArgument.</summary>
    public const string PathIsSpecialFile = "PathIsSpecialFile";
    public const string NotFileSystemPath = "NotFileSystemPath";
    public const string InvalidImage = "InvalidImage";
    public const string ImageTooLarge = "ImageTooLarge";
    public const string ImageOutOfMemory = "ImageOutOfMemory";
    public const string OutputExists = "OutputExists";
    public const string OutputIsSource = "OutputIsSource";
    public const string DestinationIsFile = "DestinationIsFile";
    public const string FileReadError = "FileReadError";
    public const string FileWriteError = "FileWriteError";
    public const string UnauthorizedAccess = "UnauthorizedAccess";
    public const string NoNumericInput = "NoNumericInput";
    public const string InconsistentDimensions = "InconsistentDimensions";
    public const string NonFiniteInput = "NonFiniteInput";
    public const string MissingProperty = "MissingProperty";
    public const string PlotFailed = "PlotFailed";
    public const string PropertyNotFound = "PropertyNotFound";
    public const string InvalidWeight = "InvalidWeight";
    public const string ValueOutOfRange = "ValueOutOfRange";
    public const string ZeroTotalWeight = "ZeroTotalWeight";
    public const string InitialCentroidsMismatch = "InitialCentroidsMismatch";
    public const string InitialCentroidOutOfRange = "InitialCentroidOutOfRange";
    public const string ModelPropertyMismatch = "ModelPropertyMismatch";
    public const string OutputIsInput = "OutputIsInput";
    public const string InputIsOutput = "InputIsOutput";
    /// <summary>Compress-ImageKMeans -MinPsnr: even -K colours miss the floor (pngquant exits 99); category InvalidResult.</summary>
    public const string QualityTooLow = "QualityTooLow";
    /// <summary>Compress-ImageKMeans -Suffix holds a path separator or a character no file name may hold; category InvalidArgument.</summary>
    public const string InvalidSuffix = "InvalidSuffix";
    /// <summary>-Destination or -ComparisonPath names one file with another image format's extension (x.jpg for PNG); category InvalidArgument.</summary>
    public const string DestinationExtensionMismatch = "DestinationExtensionMismatch";
    /// <summary>Compress-ImageKMeans -CompressionLevel other than Optimal with a GIF output (LZW has one level); category InvalidArgument.</summary>
    public const string CompressionLevelNotForGif = "CompressionLevelNotForGif";
}
