using KMeansPS.Imaging.Integrity;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// The metadata an output carries from its source, read from the source file's bytes already in memory (the file is
/// not read again): PNG by <see cref="PngMetadataCollector"/>, JPEG by <see cref="JpegMetadataCollector"/>, TIFF by
/// <see cref="TiffMetadataCollector"/>, WebP by <see cref="WebpMetadataCollector"/>, BMP by <see cref="BmpMetadataCollector"/>;
/// GIF, TGA and Netpbm files carry nothing. An ICC profile that is sRGB's becomes the sRGB chunk
/// (<see cref="CarriedMetadata.WithSrgbProfileAsChunk"/>, which says the same whatever else is wrong with it); any other
/// that is damaged is dropped with a warning (<see cref="CarriedMetadata.WithWholeProfileOnly"/>), and so is one of
/// another colour space than RGB (grey, CMYK; <see cref="CarriedMetadata.WithRgbProfileOnly"/>); EXIF that cannot be carried
/// is dropped with a warning by the collectors (<see cref="CarriedExif"/>). Never throws for a
/// damaged file: what cannot be read is not carried.
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
                ImageFileFormat.Tiff => TiffMetadataCollector.Collect(file, budget),
                ImageFileFormat.Webp => WebpMetadataCollector.Collect(file, budget),
                ImageFileFormat.Bmp => BmpMetadataCollector.Collect(file, budget),
                _ => CarriedMetadata.None,
            }).WithSrgbProfileAsChunk().WithWholeProfileOnly().WithRgbProfileOnly();
        }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or InvalidDataException or OverflowException)
        {
            return CarriedMetadata.None; // a malformed structure a check missed: carry nothing rather than fail the image
        }
    }
}
