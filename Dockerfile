# termsgate container image. Build: docker build -t termsgate .
# Run: see docs/operations.md (PostgreSQL, mounted rule folders, API keys from the environment).
# The base images are build arguments so the image can be built from other bases with the same tools (bash, a JDK
# 17 with the JVM on the PATH, groupadd/useradd): src/test/container/build-image.sh builds it from Debian's OpenJDK.
ARG BUILD_IMAGE=eclipse-temurin:17-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

# --- build: compile, test-free package, then split the jar into layers that change at different rates ---
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
# resolve + resolve-plugins, not go-offline: go-offline (maven-dependency-plugin 3.8.1) also tries to fetch an
# optional dependency of the DMN engine that is not on Maven Central (kie-dmn-validation-bootstrap) and fails
RUN ./mvnw -B -q dependency:resolve dependency:resolve-plugins
COPY src/ src/
COPY rules/ rules/
COPY decision-tables/ decision-tables/
RUN ./mvnw -B -q package -DskipTests \
 && java -Djarmode=tools -jar target/termsgate-*.jar extract --layers --destination /layers \
        --application-filename termsgate.jar

# --- run: JRE only, unprivileged user, rule folders where they can be mounted over ---
FROM ${RUNTIME_IMAGE}
RUN groupadd --system termsgate \
 && useradd --system --gid termsgate --home-dir /opt/termsgate --no-create-home termsgate \
 && mkdir -p /opt/termsgate/ruleset /opt/termsgate/data \
 && chown -R termsgate:termsgate /opt/termsgate
WORKDIR /opt/termsgate
# least-changing layers first, so a code change rebuilds only the last layer: lib/*.jar, then termsgate.jar (its
# manifest's Class-Path names the jars in lib/)
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# the default ruleset as plain files: mount your own over /opt/termsgate/ruleset
COPY --chown=termsgate:termsgate rules/ /opt/termsgate/ruleset/rules/
COPY --chown=termsgate:termsgate decision-tables/ /opt/termsgate/ruleset/decision-tables/
# Class data sharing (AppCDS) for a faster start (docs/performance.md: about 10.3 s -> 7.9 s to healthy on 2 cores): a
# training run on the embedded defaults lists the classes the service loads up to a running context (ruleset
# compiled), and a static archive of them is dumped with this image's own JVM. Lambda entries are left out: dumping
# them crashes some JDK 17 builds. If the archive cannot be used at run time, the JVM starts without it.
RUN java -XX:DumpLoadedClassList=/tmp/classes.lst -Dspring.context.exit=onRefresh -jar termsgate.jar \
        --termsgate.ruleset.dir=/opt/termsgate/ruleset --termsgate.ruleset.watch=false \
        "--spring.datasource.url=jdbc:h2:mem:training;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH" \
        --termsgate.audit.checkpoints.dir=/tmp/training/checkpoints \
        --termsgate.privacy.generated-key-file=/tmp/training/privacy-master-key \
        --termsgate.engine.cache-dir=/tmp/training/ruleset-cache \
 && rm -rf /tmp/training \
 && grep -v '^@lambda' /tmp/classes.lst > /tmp/classes-nolambda.lst \
 && java -Xshare:dump -XX:SharedClassListFile=/tmp/classes-nolambda.lst -XX:SharedArchiveFile=termsgate.jsa \
        -cp termsgate.jar \
 && rm -f /tmp/classes.lst /tmp/classes-nolambda.lst
USER termsgate
# under prod the service also needs TERMSGATE_AUDIT_SIGNING_KEY (an Ed25519 key, docs/audit.md) and
# TERMSGATE_PRIVACY_MASTER_KEY (32 random bytes, base64; docs/security.md) from a secret store
ENV SPRING_PROFILES_ACTIVE=prod \
    TERMSGATE_RULESET_DIR=/opt/termsgate/ruleset \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Duser.timezone=UTC"
EXPOSE 8080
ENTRYPOINT ["java", "-XX:SharedArchiveFile=termsgate.jsa", "-jar", "termsgate.jar"]
