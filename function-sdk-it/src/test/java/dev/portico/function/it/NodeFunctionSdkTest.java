package dev.portico.function.it;

/** function-sdk-node (kafkajs) behind the real edge. */
class NodeFunctionSdkTest extends FunctionSdkEndToEndTest {
  NodeFunctionSdkTest() {
    super(SdkLanguage.NODE);
  }
}
