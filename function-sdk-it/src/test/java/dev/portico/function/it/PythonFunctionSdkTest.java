package dev.portico.function.it;

/** function-sdk-python (confluent-kafka) behind the real edge. */
class PythonFunctionSdkTest extends FunctionSdkEndToEndTest {
  PythonFunctionSdkTest() {
    super(SdkLanguage.PYTHON);
  }
}
