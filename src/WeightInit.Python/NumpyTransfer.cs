using System.Runtime.InteropServices;
using Python.Runtime;
using WeightInit.IO;

namespace WeightInit.Python;

/// <summary>
/// Bulk copies between numpy arrays and .NET arrays through the buffer protocol: one <c>memcpy</c> of the
/// array's C-contiguous memory, never an element-by-element conversion. Callers must hold the GIL.
/// </summary>
internal static unsafe class NumpyTransfer
{
    /// <summary>Copies a C-contiguous float32/float64 numpy array into an <see cref="NpyArray"/> of <paramref name="shape"/>.</summary>
    public static NpyArray ToNpyArray(PyObject array, TensorShape shape, string dtype)
    {
        int itemSize = dtype == "float32" ? 4 : 8;
        using var buffer = CheckedBuffer(array, shape, dtype);
        if (shape.Count > Array.MaxLength)
            throw new InvalidShapeException($"Shape {shape} has {shape.Count} elements, more than a .NET array holds ({Array.MaxLength}).");
        int n = (int)shape.Count;
        if (itemSize == 4)
        {
            var values = GC.AllocateUninitializedArray<float>(n);
            fixed (float* p = values)
            {
                AdviseHugePages(p, (long)n * 4);
                Buffer.MemoryCopy((void*)buffer.Buffer, p, (long)n * 4, (long)n * 4);
            }
            return new NpyArray(shape, values, null);
        }
        else
        {
            var values = GC.AllocateUninitializedArray<double>(n);
            fixed (double* p = values)
            {
                AdviseHugePages(p, (long)n * 8);
                Buffer.MemoryCopy((void*)buffer.Buffer, p, (long)n * 8, (long)n * 8);
            }
            return new NpyArray(shape, null, values);
        }
    }

    /// <summary>
    /// Copies a C-contiguous numpy array of <typeparamref name="T"/> (float or double) into a caller-owned
    /// <paramref name="destination"/> of exactly its length (no allocation; for reused buffers).
    /// </summary>
    public static void CopyTo<T>(PyObject array, TensorShape shape, Span<T> destination) where T : unmanaged
    {
        string dtype = typeof(T) == typeof(float) ? "float32" : typeof(T) == typeof(double) ? "float64"
            : throw new NotSupportedException($"only float and double destinations are supported, not {typeof(T).Name}");
        if (destination.Length != shape.Count)
            throw new ArgumentException($"destination holds {destination.Length} values but shape {shape} has {shape.Count}.", nameof(destination));
        using var buffer = CheckedBuffer(array, shape, dtype);
        long bytes = shape.Count * sizeof(T);
        fixed (T* p = destination) Buffer.MemoryCopy((void*)buffer.Buffer, p, bytes, bytes);
    }

    /// <summary>
    /// The array's buffer after checking dtype, shape and size. Not requested with PyBUF.FORMATS: pythonnet 3.2.1
    /// marshals Py_buffer.format as a managed string and frees the native pointer when the struct is passed back
    /// (free(): invalid pointer), so the dtype is checked through numpy instead.
    /// </summary>
    private static PyBuffer CheckedBuffer(PyObject array, TensorShape shape, string dtype)
    {
        int itemSize = dtype == "float32" ? 4 : 8;
        using (var dt = array.GetAttr("dtype"))
        {
            var str = dt.GetAttr("str").As<string>();
            var expected = itemSize == 4 ? "<f4" : "<f8";
            if (str != expected)
                throw new InvalidOperationException($"bridge returned a '{str}' array, expected {dtype} ({expected})");
        }
        var buffer = array.GetBuffer(PyBUF.C_CONTIGUOUS);
        try
        {
            if (buffer.ItemSize != itemSize)
                throw new InvalidOperationException($"bridge returned a buffer of item size {buffer.ItemSize}, expected {itemSize} ({dtype})");
            var gotShape = new TensorShape((buffer.Shape ?? []).Select(d => checked((int)d)).ToArray());
            if (!gotShape.Equals(shape))
                throw new InvalidOperationException($"framework returned shape {gotShape}, expected {shape}");
            if (buffer.Length != shape.Count * itemSize)
                throw new InvalidOperationException($"buffer holds {buffer.Length} bytes, expected {shape.Count * itemSize}");
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>Copies <paramref name="values"/> into a new 1-D float64 numpy array created by <paramref name="bridge"/>.</summary>
    public static PyObject FromDoubles(PyObject bridge, ReadOnlySpan<double> values)
    {
        var array = bridge.InvokeMethod("new_float64", new PyInt(values.Length));
        using var buffer = array.GetBuffer(PyBUF.C_CONTIGUOUS | PyBUF.WRITABLE);
        if (buffer.Length != (long)values.Length * 8)
            throw new InvalidOperationException($"numpy buffer holds {buffer.Length} bytes, expected {values.Length * 8L}");
        long bytes = (long)values.Length * 8;
        fixed (double* p = values) Buffer.MemoryCopy(p, (void*)buffer.Buffer, bytes, bytes);
        return array;
    }

    private const long HugePage = 2L << 20;
    private static volatile bool _madviseWorks = OperatingSystem.IsLinux();

    /// <summary>
    /// Linux: asks for transparent huge pages (<c>madvise(MADV_HUGEPAGE)</c>) on the 2 MB-aligned interior of a fresh,
    /// not yet touched destination array of at least 8 MB. First-touch page faults otherwise dominate a large copy
    /// (on this project's VMs a fresh 40 MB array costs ~120 ms of 4 KB faults, i.e. 0.3 GB/s, against ~3 ms for
    /// the copy itself). A hint only: errors are ignored, and it is skipped where madvise is unavailable.
    /// </summary>
    private static void AdviseHugePages(void* start, long bytes)
    {
        if (!_madviseWorks || bytes < 4 * HugePage) return;
        long first = ((long)start + HugePage - 1) & ~(HugePage - 1);
        long last = ((long)start + bytes) & ~(HugePage - 1);
        if (last <= first) return;
        try
        {
            madvise((IntPtr)first, (nuint)(last - first), MadvHugePage);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            _madviseWorks = false;
        }
    }

    private const int MadvHugePage = 14;

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int madvise(IntPtr address, nuint length, int advice);
}
