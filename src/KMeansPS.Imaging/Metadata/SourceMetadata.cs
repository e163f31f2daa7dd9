using KMeansPS.Imaging.Integrity;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// The metadata an output carries from its source, read from the source file's bytes already in memory (the file is
/// not read again): PNG by <see cref="PngMetadataCollector"/>, JPEG by <see cref="JpegMetadataCollector"/>; other
/// formats carry nothing (ImageSharp 2.1 gives a TIFF's ICC profile only with the decoded frame, which the decoder
/// reads without metadata, and none from BMP or GIF). An ICC profile that is sRGB's, from either, becomes the sRGB
/// chunk (<see cref="CarriedMetadata.WithSrgbProfileAsChunk"/>); one of another colour space than RGB (grey, CMYK) is
/// dropped with a warning (<see cref="CarriedMetadata.WithRgbProfileOnly"/>). Never throws for a damaged file: what cannot be read is not
/// carried.
/// </summary>
internal static class SourceMetadata
{
    public static CarriedMetadata Collect(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var budget = MetadataBudget.Default();
        try
        {
            return (ImageFormatSniffer.Detect(file) switch
            {
                ImageFileFormat.Png => PngMetadataCollector.Collect(file, budget),
                ImageFileFormat.Jpeg => JpegMetadataCollector.Collect(file, budget),
                _ => CarriedMetadata.None,
            }).WithSrgbProfileAsChunk().WithRgbProfileOnly();
        }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or InvalidDataException or OverflowException)
        {
            return CarriedMetadata.None; // a malformed structure a check missed: carry nothing rather than fail the image
        }
    }
}
