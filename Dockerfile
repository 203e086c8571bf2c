# termsgate container image. Build: docker build -t termsgate .
# Run: see docs/operations.md (PostgreSQL, mounted rule folders, API keys from the environment).

# --- build: compile, test-free package, then split the jar into layers that change at different rates ---
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src/ src/
COPY rules/ rules/
COPY decision-tables/ decision-tables/
RUN ./mvnw -B -q package -DskipTests \
 && java -Djarmode=tools -jar target/termsgate-*.jar extract --layers --launcher --destination /layers

# --- run: JRE only, unprivileged user, rule folders where they can be mounted over ---
FROM eclipse-temurin:17-jre
RUN groupadd --system termsgate \
 && useradd --system --gid termsgate --home-dir /opt/termsgate --no-create-home termsgate \
 && mkdir -p /opt/termsgate/ruleset /opt/termsgate/data \
 && chown -R termsgate:termsgate /opt/termsgate
WORKDIR /opt/termsgate
# least-changing layers first, so a code change rebuilds only the last layer
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# the default ruleset as plain files: mount your own over /opt/termsgate/ruleset
COPY --chown=termsgate:termsgate rules/ /opt/termsgate/ruleset/rules/
COPY --chown=termsgate:termsgate decision-tables/ /opt/termsgate/ruleset/decision-tables/
USER termsgate
ENV SPRING_PROFILES_ACTIVE=prod \
    TERMSGATE_RULESET_DIR=/opt/termsgate/ruleset \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Duser.timezone=UTC"
EXPOSE 8080
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
