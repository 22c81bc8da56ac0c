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
        // Not PyBUF.FORMATS: pythonnet 3.2.1 marshals Py_buffer.format as a managed string and frees the native
        // pointer when the struct is passed back (free(): invalid pointer). The dtype is checked through numpy instead.
        using (var dt = array.GetAttr("dtype"))
        {
            var str = dt.GetAttr("str").As<string>();
            var expected = itemSize == 4 ? "<f4" : "<f8";
            if (str != expected)
                throw new InvalidOperationException($"bridge returned a '{str}' array, expected {dtype} ({expected})");
        }
        using var buffer = array.GetBuffer(PyBUF.C_CONTIGUOUS);
        if (buffer.ItemSize != itemSize)
            throw new InvalidOperationException($"bridge returned a buffer of item size {buffer.ItemSize}, expected {itemSize} ({dtype})");
        var dims = buffer.Shape ?? [];
        var gotShape = new TensorShape(dims.Select(d => checked((int)d)).ToArray());
        if (!gotShape.Equals(shape))
            throw new InvalidOperationException($"framework returned shape {gotShape}, expected {shape}");
        if (buffer.Length != shape.Count * itemSize)
            throw new InvalidOperationException($"buffer holds {buffer.Length} bytes, expected {shape.Count * itemSize}");
        if (shape.Count > Array.MaxLength)
            throw new InvalidShapeException($"Shape {shape} has {shape.Count} elements, more than a .NET array holds ({Array.MaxLength}).");
        int n = (int)shape.Count;
        if (itemSize == 4)
        {
            var values = GC.AllocateUninitializedArray<float>(n);
            fixed (float* p = values) Buffer.MemoryCopy((void*)buffer.Buffer, p, (long)n * 4, (long)n * 4);
            return new NpyArray(shape, values, null);
        }
        else
        {
            var values = GC.AllocateUninitializedArray<double>(n);
            fixed (double* p = values) Buffer.MemoryCopy((void*)buffer.Buffer, p, (long)n * 8, (long)n * 8);
            return new NpyArray(shape, null, values);
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
}
