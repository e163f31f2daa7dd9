using System.Buffers.Binary;
using KMeansPS.Imaging.Jpeg;
using KMeansPS.Imaging.Metadata;

namespace KMeansPS.Imaging.Tests.Metadata;

public class ExifOrientationPatchTests
{
    [Theory]
    [InlineData(true, 6)]
    [InlineData(false, 6)]
    [InlineData(true, 8)]
    [InlineData(false, 3)]
    public void Orientation_becomes_1_in_either_byte_order_and_nothing_else_changes(bool little, int orientation)
    {
        byte[] exif = MetadataSamples.Exif(little, (ushort)orientation, (300, 300), 2);
        Assert.Equal(orientation, ExifReader.ReadOrientation(exif));
        byte[]? patched = ExifOrientationPatch.Upright(exif);
        Assert.NotNull(patched);
        Assert.Equal(1, ExifReader.ReadOrientation(patched));
        int[] changed = Enumerable.Range(0, exif.Length).Where(i => exif[i] != patched[i]).ToArray();
        // Only the low byte of the Orientation entry's value (the second entry): first in II order, second in MM.
        Assert.Equal([8 + 2 + 12 + 8 + (little ? 0 : 1)], changed);
        Assert.Equal(orientation, ExifReader.ReadOrientation(exif)); // the source is not changed
    }

    [Fact]
    public void EXIF_without_an_orientation_is_kept_as_it_is()
    {
        byte[] exif = MetadataSamples.Exif(false, null, (72, 72), 2);
        Assert.Equal(exif, ExifOrientationPatch.Upright(exif));
    }

    [Fact]
    public void An_Orientation_stored_as_a_LONG_is_read_and_patched_as_one()
    {
        // EXIF makes Orientation a SHORT; some writers store a LONG, which PIL, ImageMagick and exiftool read.
        foreach (bool little in new[] { true, false })
        {
            byte[] exif = MetadataSamples.Exif(little, 6);
            int entry = 8 + 2 + 12; // the second entry is Orientation
            if (little)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(exif.AsSpan(entry + 2), 4);
                BinaryPrimitives.WriteUInt32LittleEndian(exif.AsSpan(entry + 8), 6);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(exif.AsSpan(entry + 2), 4);
                BinaryPrimitives.WriteUInt32BigEndian(exif.AsSpan(entry + 8), 6);
            }
            Assert.Equal(6, ExifReader.ReadOrientation(exif));
            byte[] patched = ExifOrientationPatch.Upright(exif)!;
            Assert.Equal(1, ExifReader.ReadOrientation(patched));
            Assert.Equal(exif.Length, patched.Length);
        }
    }

    [Theory]
    [InlineData(true, 6)]
    [InlineData(false, 8)]
    [InlineData(true, 3)]
    public void A_quarter_turn_swaps_the_stated_resolutions_and_pixel_sizes_as_the_pixels_were(bool little, ushort orientation)
    {
        byte[] exif = MetadataSamples.Exif(little, orientation, resolution: (72, 144), unit: 2);
        byte[] patched = ExifOrientationPatch.Upright(exif)!;
        ExifIfd0 ifd = ExifIfd0.TryOpen(patched)!;
        bool quarter = orientation >= 5;
        Assert.Equal(quarter ? 144 : 72, ifd.Rational(0x011A));
        Assert.Equal(quarter ? 72 : 144, ifd.Rational(0x011B));
        Assert.Equal(1, ExifReader.ReadOrientation(patched));

        // The Exif sub-directory's pixel sizes (a LONG width, a SHORT height), reached through IFD0's pointer.
        byte[] sub = SubDirectoryExif(orientation);
        ExifIfd0 turned = ExifIfd0.TryOpen(ExifOrientationPatch.Upright(sub)!)!;
        byte[] data = ExifOrientationPatch.Upright(sub)!;
        (ushort Type, uint Value) Entry(int at) => (BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at + 2)),
            BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at + 2)) == 3 ? BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at + 8)) : BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at + 8)));
        Assert.Equal(0xA002, BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(40)));
        Assert.Equal(quarter ? ((ushort)3, 80u) : ((ushort)4, 120u), Entry(40));
        Assert.Equal(quarter ? ((ushort)4, 120u) : ((ushort)3, 80u), Entry(52));
        Assert.Equal(1, turned.Integer(0x0112));
    }

    /// <summary>Little-endian EXIF: IFD0 holds Orientation and the Exif pointer; the sub-directory at 38 PixelXDimension (LONG 120) and PixelYDimension (SHORT 80).</summary>
    private static byte[] SubDirectoryExif(ushort orientation)
    {
        var tiff = new byte[38 + 2 + 24 + 4];
        "II"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(8), 2);
        void Entry(int at, ushort tag, ushort type, uint value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at), tag);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at + 2), type);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at + 4), 1);
            if (type == 3) BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at + 8), (ushort)value);
            else BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at + 8), value);
        }
        Entry(10, 0x0112, 3, orientation);
        Entry(22, 0x8769, 4, 38);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(38), 2);
        Entry(40, 0xA002, 4, 120);
        Entry(52, 0xA003, 3, 80);
        return tiff;
    }

    [Fact]
    public void EXIF_that_cannot_be_patched_safely_is_dropped()
    {
        byte[] exif = MetadataSamples.Exif(true, 6);
        Assert.Null(ExifOrientationPatch.Upright(exif.AsSpan(0, 7))); // shorter than a header
        byte[] badOrder = (byte[])exif.Clone();
        badOrder[0] = (byte)'X';
        Assert.Null(ExifOrientationPatch.Upright(badOrder));
        byte[] farIfd = (byte[])exif.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(farIfd.AsSpan(4), 100_000);
        Assert.Null(ExifOrientationPatch.Upright(farIfd));
        byte[] manyEntries = (byte[])exif.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(manyEntries.AsSpan(8), 5000);
        Assert.Null(ExifOrientationPatch.Upright(manyEntries));
        byte[] rationalType = (byte[])exif.Clone();
        int entry = 8 + 2 + 12; // the second entry is Orientation
        Assert.Equal(0x0112, BinaryPrimitives.ReadUInt16LittleEndian(rationalType.AsSpan(entry)));
        BinaryPrimitives.WriteUInt16LittleEndian(rationalType.AsSpan(entry + 2), 5);
        Assert.Null(ExifOrientationPatch.Upright(rationalType));
        Assert.Null(ExifOrientationPatch.Upright(exif.AsSpan(0, 20))); // the directory cut short
    }
}
